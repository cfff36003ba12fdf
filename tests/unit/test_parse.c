/* tests/unit/test_parse.c - dates, durations and the CSV reader (quoted fields, line numbers,
 * shape errors), and the strict number syntax: no hex, signs or spaces where digits belong; a
 * UTF-8 byte-order mark at the start of a CSV is dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/care_bounds.h"
#include "../../models/care_csv.h"
#include "../../models/care_date.h"
#include "../check.h"

static void dates(void)
{
    int64_t d;
    CHECK_EQ_INT(care_date_parse("1970-01-01", &d), 0);
    CHECK_EQ_INT(d, 0);
    CHECK_EQ_INT(care_date_parse("2017-03-31", &d), 0);
    CHECK_EQ_INT(d, 17256);
    char buf[11];
    care_date_format(d, buf);
    CHECK(strcmp(buf, "2017-03-31") == 0);
    CHECK(care_date_parse("2017-02-29", &d) != 0);
    CHECK(care_date_parse("2016-02-29", &d) == 0);
    CHECK(care_date_parse("2017-3-31", &d) != 0);
    care_span sp;
    CHECK_EQ_INT(care_span_parse("10y", &sp), 0);
    CHECK_EQ_INT(sp.years, 10);
    CHECK(care_span_parse("-1y", &sp) != 0);
    CHECK(care_span_parse("3w", &sp) != 0);
    care_date_parse("2016-02-29", &d);
    care_span_parse("1y", &sp);
    care_date_format(care_span_add(d, sp, 1), buf);     /* Feb 29 + 1y clamps to Feb 28 */
    CHECK(strcmp(buf, "2017-02-28") == 0);
    care_date_parse("2017-01-31", &d);
    care_span_parse("1m", &sp);
    care_date_format(care_span_add(d, sp, 1), buf);
    CHECK(strcmp(buf, "2017-02-28") == 0);
    care_date_format(care_span_add(d, sp, -1), buf);
    CHECK(strcmp(buf, "2016-12-31") == 0);
}

static void csv(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("a,b,c\n1,\"x, \"\"y\"\"\",3\r\n\n# comment\n4,5,\"multi\nline\"\n7,8\n", f);
    fclose(f);
    care_csv t;
    sim_err err = {0};
    CHECK_EQ_INT(care_csv_read(&t, path, "k", &err), SIM_EINVAL);   /* the short last row */
    CHECK(strstr(err.msg, "t.csv:7: k: row has 2 fields, header has 3") != NULL);
    f = fopen(path, "w");
    fputs("a,b,c\n1,\"x, \"\"y\"\"\",3\r\n\n# comment\n4,5,\"multi\nline\"\n", f);
    fclose(f);
    sim_err_clear(&err);
    CHECK_EQ_INT(care_csv_read(&t, path, "k", &err), SIM_OK);
    CHECK_EQ_INT(t.nrows, 2);
    CHECK(strcmp(t.rows[0].fields[1], "x, \"y\"") == 0);
    CHECK(strcmp(t.rows[0].fields[2], "3") == 0);
    CHECK_EQ_INT(t.rows[1].line, 5);
    CHECK(strcmp(t.rows[1].fields[2], "multi\nline") == 0);
    double v;
    CHECK_EQ_INT(care_csv_nonneg(&t, 1, 0, &v, &err), SIM_OK);
    CHECK(v == 4.0);
    CHECK_EQ_INT(care_csv_nonneg(&t, 0, 1, &v, &err), SIM_EINVAL);
    care_csv_free(&t);
    remove(path);
}

static void strict_numbers(void)
{
    int64_t d;
    care_span sp;
    double v;
    uint64_t u;
    CHECK(care_date_parse("-999-01-01", &d) != 0);   /* was read as year -999, printed as 6297 */
    CHECK(care_date_parse(" 017-01-01", &d) != 0);
    CHECK(care_date_parse("0000-01-01", &d) != 0);
    CHECK(care_date_parse("9999-12-31", &d) == 0);
    CHECK(care_span_parse(" 3y", &sp) != 0);
    CHECK(care_span_parse("+3y", &sp) != 0);
    CHECK(care_number_parse("0x10", &v) != 0);       /* was 16 */
    CHECK(care_number_parse("inf", &v) != 0);
    CHECK(care_number_parse("nan", &v) != 0);
    CHECK(care_number_parse(" 1", &v) != 0);
    CHECK(care_number_parse("1e999", &v) != 0);
    CHECK(care_number_parse("2.5e-3 ", &v) == 0 && v == 2.5e-3);
    CHECK(care_number_parse("-.5", &v) == 0 && v == -0.5);
    CHECK(care_uint_parse(" -7", &u) != 0);          /* was 18446744073709551609 */
    CHECK(care_uint_parse("+3", &u) != 0);
    CHECK(care_uint_parse(" 3", &u) != 0);
    CHECK(care_uint_parse("18446744073709551616", &u) != 0);
    CHECK(care_uint_parse("18446744073709551615", &u) == 0 && u == UINT64_MAX);
}

static void csv_bom(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bom.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("\xef\xbb\xbf" "code,n\nA,1\n", f);       /* as spreadsheets save "CSV UTF-8" */
    fclose(f);
    care_csv t;
    sim_err err = {0};
    CHECK_EQ_INT(care_csv_read(&t, path, "k", &err), SIM_OK);
    CHECK(care_csv_col(&t, "code") == 0);
    care_csv_free(&t);
    remove(path);
}

int main(int argc, char **argv)
{
    dates();
    csv(argc > 1 ? argv[1] : ".");
    strict_numbers();
    csv_bom(argc > 1 ? argv[1] : ".");
    return check_result("test_parse");
}
