/* models/care_states.h - the model's states and transitions, as data. Each list below is the
 * only place a state or a transition is named: the enums, the labels of the output's `state`
 * and `transition` coordinates, which hazard table drives each state (its columns are the
 * state's hazard-drawn transitions, in list order), what happens at the 18th birthday and at the
 * end of a state's window, and the episode log's labels are all generated from them.
 * A transition has a label (the flow coordinate and the hazard-table column) and is also found
 * by "from->to" when that pair is unique (care_transition_find). Pure data; no allocation. */
#ifndef CARE_STATES_H
#define CARE_STATES_H

/* X(ID, label, hazard table key, table required?, transition at 18, transition at the end of
 * the window). The window (e.g. the re-entry follow-up) is a duration in the config
 * (window[state]); NONE: the state has none. A scenario without an optional state's table
 * never puts a child in that state. */
#define CARE_STATE_LIST(X)                                                                       \
    X(LAC,    "lac",           "lac_hazards",           REQUIRED, AGED_OUT,     NONE)                \
    X(HOME,   "home",          "home_hazards",          REQUIRED, CLOSED,       CLOSED)              \
    X(CIN,    "cin",           "cin_hazards",           OPTIONAL, CIN_AGED_OUT, NONE)                \
    X(CPP,    "cpp",           "cpp_hazards",           OPTIONAL, CPP_AGED_OUT, NONE)                \
    X(CLOSED, "closed_recent", "closed_recent_hazards", OPTIONAL, WINDOW_END,   WINDOW_END)

/* X(ID, label, from, to, drawn by, flags, opens an episode row: Y or N)
 * from/to: a state, or OUT (outside the system). Drawn by: ARRIVAL (a Poisson process per area),
 * HAZARD (a column of the from state's hazard table), RULE (at 18 or at the window's end).
 * Flags: EXIT_MULT: the area's exit_multiplier scales the hazard; LAZY: a transition to OUT that
 * needs no handler, counted when drawn and never queued. Opens: Y when the destination keeps
 * rows in the episode log (lac placements, cin and cpp episodes).
 * The pathway before care: a referral (a Poisson process per area x age band) needs no further
 * action (referral_nfa: counted, no child kept) or opens a CIN episode; children in need may go
 * on a protection plan, into care, or have their case closed; a closed case can be re-referred
 * within the re-referral window (closed_recent, as home works after care). */
#define CARE_TRANSITION_LIST(X)                                               \
    X(ENTRY,       "entry",              OUT,  LAC,  ARRIVAL, 0,         Y)     \
    X(REENTRY,     "reentry",            HOME, LAC,  HAZARD,  0,         Y)     \
    X(HOME,        "home",               LAC,  HOME, HAZARD,  EXIT_MULT, N)     \
    X(ADOPTED,     "adopted",            LAC,  OUT,  HAZARD,  EXIT_MULT, N)     \
    X(SGO_CAO,     "sgo_cao",            LAC,  OUT,  HAZARD,  EXIT_MULT, N)     \
    X(INDEPENDENT, "independent_living", LAC,  OUT,  HAZARD,  EXIT_MULT, N)     \
    X(OTHER,       "other",              LAC,  OUT,  HAZARD,  EXIT_MULT, N)     \
    X(AGED_OUT,    "aged_out",           LAC,  OUT,  RULE,    0,         N)     \
    X(MOVE,        "placement_move",     LAC,  LAC,  HAZARD,  0,         Y)     \
    X(CLOSED,      "closed",             HOME, OUT,  HAZARD,  LAZY,      N)     \
    X(REFERRAL_NFA, "referral_nfa",      OUT,  OUT,  ARRIVAL, 0,         N)     \
    X(REFERRAL,    "referral",           OUT,  CIN,  ARRIVAL, 0,         Y)     \
    X(REREFERRAL,  "rereferral",         CLOSED, CIN, HAZARD, 0,         Y)     \
    X(CIN_CPP,     "cin_cpp",            CIN,  CPP,  HAZARD,  0,         Y)     \
    X(CIN_LAC,     "cin_lac",            CIN,  LAC,  HAZARD,  0,         Y)     \
    X(CIN_CLOSED,  "cin_closed",         CIN,  CLOSED, HAZARD, 0,        N)     \
    X(CIN_AGED_OUT, "cin_aged_out",      CIN,  OUT,  RULE,    0,         N)     \
    X(CPP_STEP_DOWN, "cpp_step_down",    CPP,  CIN,  HAZARD,  0,         Y)     \
    X(CPP_LAC,     "cpp_lac",            CPP,  LAC,  HAZARD,  0,         Y)     \
    X(CPP_CLOSED,  "cpp_closed",         CPP,  CLOSED, HAZARD, 0,        N)     \
    X(CPP_AGED_OUT, "cpp_aged_out",      CPP,  OUT,  RULE,    0,         N)     \
    X(WINDOW_END,  "rereferral_window_end", CLOSED, OUT, RULE, LAZY,     N)

#define CARE_X_ST_ENUM(id, ...) CARE_ST_##id,
enum { CARE_STATE_LIST(CARE_X_ST_ENUM) CARE_NSTATE };
#define CARE_ST_OUT (-1)
#define CARE_X_TR_ENUM(id, ...) CARE_TR_##id,
enum { CARE_TRANSITION_LIST(CARE_X_TR_ENUM) CARE_NTR };
#define CARE_TR_NONE (-1)

enum { CARE_BY_ARRIVAL, CARE_BY_HAZARD, CARE_BY_RULE };
enum { CARE_TF_EXIT_MULT = 1, CARE_TF_LAZY = 2 };

typedef struct care_state_info {
    const char *name;
    const char *table;          /* scenario key under tables: */
    int optional;               /* 1: a scenario may leave its table out */
    int at_18, window_end;      /* CARE_TR_*, or CARE_TR_NONE */
} care_state_info;

typedef struct care_transition_info {
    const char *name;
    int from, to;               /* CARE_ST_*, or CARE_ST_OUT */
    int by;                     /* CARE_BY_* */
    int flags;                  /* CARE_TF_* */
    int opens;                  /* 1: opens a row of the episode log */
} care_transition_info;

extern const care_state_info care_states[CARE_NSTATE];
extern const care_transition_info care_transitions[CARE_NTR];
extern const char *const care_state_names[CARE_NSTATE];
extern const char *const care_transition_names[CARE_NTR];

#define CARE_MAXK 8          /* competing transitions per hazard table */
/* The hazard-drawn transitions leaving state s, in the order of its table's columns; returns n. */
int care_state_columns(int state, int tr[CARE_MAXK]);
/* The column of transition tr in its from state's table, or -1. */
int care_transition_column(int tr);
/* A transition by label ("home") or by "from->to" ("lac->home", "out->lac") when unique; -1 if none. */
int care_transition_find(const char *name);
int care_state_find(const char *name);   /* -1 if none */
/* The episode log's reason_started code of transition tr, or -1 when it opens no row. */
int care_transition_start_code(int tr);

/* Episode log labels, comma-separated: reasons an episode starts (transitions that open a row,
 * then initial_stock) and reasons it ends (every transition). */
#define CARE_X_TR_LABEL(id, name, ...) "," name
#define CARE_STATE_LABELS (CARE_STATE_LIST(CARE_X_TR_LABEL)) + 1
#define CARE_X_OPEN_Y(name) "," name
#define CARE_X_OPEN_N(name)
#define CARE_X_TR_OPENS(id, name, from, to, by, fl, opens) CARE_X_OPEN_##opens(name)
#define CARE_EPISODE_START_LABELS (CARE_TRANSITION_LIST(CARE_X_TR_OPENS) ",initial_stock") + 1
#define CARE_EPISODE_END_LABELS (CARE_TRANSITION_LIST(CARE_X_TR_LABEL)) + 1
#define CARE_X_COUNT_OPENS(id, name, from, to, by, fl, opens) + CARE_X_ONE_##opens
#define CARE_X_ONE_Y 1
#define CARE_X_ONE_N 0
enum { CARE_START_INITIAL = 0 CARE_TRANSITION_LIST(CARE_X_COUNT_OPENS) };   /* after the opening transitions */

#endif
