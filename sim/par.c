/* sim/par.c - see par.h. Without CARESIM_WITH_MPI, one process and no-op collectives. */
#include "par.h"

#include <string.h>

#ifdef CARESIM_WITH_MPI
#include <mpi.h>

enum { TAG_TASK = 1, TAG_FINAL = 2 };
static int rank_, size_ = 1, finals_;

int sim_par_enabled(void) { return 1; }
int sim_par_rank(void) { return rank_; }
int sim_par_size(void) { return size_; }

int sim_par_init(sim_err *err)
{
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
        return sim_err_set(err, SIM_EIO, "MPI: cannot initialise");
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    if (provided < MPI_THREAD_SERIALIZED)
        return sim_err_set(err, SIM_EIO, "MPI: the library does not allow calls from threads "
                           "(MPI_THREAD_SERIALIZED); run with --threads 1");
    return SIM_OK;
}

void sim_par_finalize(void) { MPI_Finalize(); }
void sim_par_barrier(void) { MPI_Barrier(MPI_COMM_WORLD); }

int sim_par_agree(uint64_t key, sim_err *err)
{
    uint64_t mine = err->code != SIM_OK ? key : UINT64_MAX, low;
    MPI_Allreduce(&mine, &low, 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
    if (low == UINT64_MAX)
        return SIM_OK;
    /* Among the ranks holding the lowest key (normally one), the lowest rank speaks. */
    int me = mine == low ? rank_ : size_, owner;
    MPI_Allreduce(&me, &owner, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    MPI_Bcast(err, (int)sizeof *err, MPI_BYTE, owner, MPI_COMM_WORLD);
    return err->code;
}

void sim_par_sum_f64(double *x, size_t n)
{
    if (size_ > 1 && n > 0)
        MPI_Allreduce(MPI_IN_PLACE, x, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

void sim_par_sum_u64(uint64_t *x, size_t n)
{
    if (size_ > 1 && n > 0)
        MPI_Allreduce(MPI_IN_PLACE, x, (int)n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
}

void sim_par_send_progress(uint64_t events, int final)
{
    if (rank_ != 0)   /* small messages go eagerly: this does not wait for rank 0 */
        MPI_Send(&events, 1, MPI_UINT64_T, 0, final ? TAG_FINAL : TAG_TASK, MPI_COMM_WORLD);
}

void sim_par_recv_progress(int wait, uint64_t *tasks, uint64_t *events)
{
    *tasks = *events = 0;
    for (;;) {
        int any = 0;
        MPI_Status st;
        if (wait && finals_ < size_ - 1) {
            MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
            any = 1;
        } else if (!wait) {
            MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &any, &st);
        }
        if (!any)
            return;
        uint64_t ev;
        MPI_Recv(&ev, 1, MPI_UINT64_T, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (st.MPI_TAG == TAG_FINAL) {
            finals_++;
        } else {
            ++*tasks;
            *events += ev;
        }
    }
}

#else

int sim_par_enabled(void) { return 0; }
int sim_par_init(sim_err *err) { (void)err; return SIM_OK; }
void sim_par_finalize(void) {}
int sim_par_rank(void) { return 0; }
int sim_par_size(void) { return 1; }
int sim_par_agree(uint64_t key, sim_err *err) { (void)key; return err->code; }
void sim_par_sum_f64(double *x, size_t n) { (void)x; (void)n; }
void sim_par_sum_u64(uint64_t *x, size_t n) { (void)x; (void)n; }
void sim_par_barrier(void) {}
void sim_par_send_progress(uint64_t events, int final) { (void)events; (void)final; }
void sim_par_recv_progress(int wait, uint64_t *tasks, uint64_t *events) { (void)wait; *tasks = *events = 0; }

#endif
