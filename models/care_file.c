/* models/care_file.c - see care_file.h. */
#include "care_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int line_of(const char *text, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++)
        line += text[i] == '\n';
    return line;
}

static int read_all(int fd, char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    for (;;) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return -1;
        if (got == 0) break;
        n += (size_t)got;
        if (n == cap) break;   /* the caller asked for one byte more than it expects */
    }
    *len = n;
    return 0;
}

int care_file_read(const char *path, const char *key, size_t max_bytes, char **text, size_t *len, sim_err *err)
{
    *text = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:1: %s: cannot open: %s", path, key, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sim_err_set(err, SIM_EINVAL, "%s:1: %s: not a regular file (a folder, device or pipe cannot be "
                           "read as a %s)", path, key, max_bytes == CARE_SCENARIO_MAX_BYTES ? "scenario" : "table");
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        close(fd);
        return sim_err_set(err, SIM_EINVAL, "%s:1: %s: file is %lld bytes, more than the %zu allowed", path, key,
                           (long long)st.st_size, max_bytes);
    }
    /* Sized by the file, not the cap: reading one byte more than its size shows if it grew. */
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 2);
    if (!buf) {
        close(fd);
        return sim_err_set(err, SIM_ENOMEM, "%s: %s: out of memory", path, key);
    }
    size_t n = 0;
    int rrc = read_all(fd, buf, size + 1, &n), e = errno;
    close(fd);
    int rc = SIM_OK;
    if (rrc != 0)
        rc = sim_err_set(err, SIM_EIO, "%s:1: %s: cannot read: %s", path, key, strerror(e));
    else if (n > size)
        rc = sim_err_set(err, SIM_EINVAL, "%s:1: %s: the file changed while it was read", path, key);
    const char *nul = rc == SIM_OK ? memchr(buf, '\0', n) : NULL;
    if (nul)
        rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: NUL byte at offset %zu (not a text file?)", path,
                         line_of(buf, (size_t)(nul - buf)), key, (size_t)(nul - buf));
    if (rc != SIM_OK) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {   /* UTF-8 byte-order mark */
        memmove(buf, buf + 3, n - 2);
        n -= 3;
    }
    *text = buf;
    *len = n;
    return SIM_OK;
}
