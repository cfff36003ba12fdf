/* sim/outfile.c - see outfile.h. */
#define _GNU_SOURCE   /* renameat2, F_OFD_SETLK */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int init(sim_outfile *f, const char *path)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->path = strdup(path);
    f->part = malloc(strlen(path) + 6);
    if (!f->path || !f->part)
        return -1;
    sprintf(f->part, "%s.part", path);
    return 0;
}

/* Takes the write lock on fd without waiting; 0, or -1 with errno (EAGAIN: someone holds it). */
static int lock_fd(int fd)
{
    struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    if (fcntl(fd, F_OFD_SETLK, &l) == 0)
        return 0;
    if (errno == EACCES) errno = EAGAIN;
    return -1;
}

/* Opens an existing PATH.part without following links, a regular file, and locks it. */
static int open_existing(sim_outfile *f, sim_err *err)
{
    int fd = open(f->part, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 && errno == ELOOP)
        return sim_err_set(err, SIM_EINVAL, "%s: is a symbolic link; refusing to write through it", f->part);
    if (fd < 0)
        return sim_err_set(err, SIM_EINVAL, "%s: cannot open: %s", f->part, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sim_err_set(err, SIM_EINVAL, "%s: not a regular file; refusing to write to it", f->part);
    }
    if (lock_fd(fd) != 0) {
        int e = errno;
        close(fd);
        if (e == EAGAIN)
            return sim_err_set(err, SIM_EINVAL, "%s: another caresim run is writing this output now; wait for it "
                               "or choose another file with -o", f->part);
        return sim_err_set(err, SIM_EIO, "%s: cannot lock: %s", f->part, strerror(e));
    }
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    return SIM_OK;
}

static void set_name(sim_outfile *f)
{
    snprintf(f->proc, sizeof f->proc, "/proc/self/fd/%d", f->fd);
    struct stat a, b;
    /* Without /proc (rare) the writer opens the path; publish still checks it is our file. */
    if (stat(f->proc, &a) != 0 || fstat(f->fd, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)
        f->proc[0] = '\0';
}

const char *sim_outfile_name(const sim_outfile *f) { return f->proc[0] ? f->proc : f->part; }

/* A leftover PATH.part.new: another run creating its file now (locked), or the remains of a
 * creation cut short, which never held a finished task (removed). */
static int clear_staging(const char *name, sim_err *err)
{
    int fd = open(name, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOENT ? SIM_OK : sim_err_set(err, SIM_EINVAL, "%s: in the way: %s", name, strerror(errno));
    struct stat st;
    int rc = SIM_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = sim_err_set(err, SIM_EINVAL, "%s: not a regular file; refusing to touch it", name);
    else if (lock_fd(fd) != 0)
        rc = sim_err_set(err, SIM_EINVAL, "%s: another caresim run is creating this output now; wait for it or "
                         "choose another file with -o", name);
    else if (unlink(name) != 0)
        rc = sim_err_set(err, SIM_EIO, "%s: cannot remove: %s", name, strerror(errno));
    close(fd);
    return rc;
}

int sim_outfile_create(sim_outfile *f, const char *path, int replace, sim_err *err)
{
    if (init(f, path) != 0) {
        sim_outfile_release(f);
        return sim_err_set(err, SIM_ENOMEM, "output: out of memory");
    }
    struct stat st;
    int rc = SIM_OK;
    if (lstat(f->part, &st) == 0) {
        /* Someone's file: a running run's (locked), an interrupted run's, or anything else. */
        rc = open_existing(f, err);
        if (rc == SIM_OK && !replace)
            rc = sim_err_set(err, SIM_EINVAL, "%s: exists (an interrupted run?): finish it with --resume, or start "
                             "again with --force", f->part);
        if (rc == SIM_OK && unlink(f->part) != 0)
            rc = sim_err_set(err, SIM_EIO, "%s: cannot remove: %s", f->part, strerror(errno));
        if (f->fd >= 0) close(f->fd);
        f->fd = -1;
    }
    /* Built under PATH.part.new, renamed PATH.part once complete (sim_outfile_commit): a
     * PATH.part is always a whole file, wherever a kill strikes. */
    if (rc == SIM_OK && !(f->staging = malloc(strlen(f->part) + 5)))
        rc = sim_err_set(err, SIM_ENOMEM, "output: out of memory");
    if (rc == SIM_OK) {
        sprintf(f->staging, "%s.new", f->part);
        rc = clear_staging(f->staging, err);
    }
    int fd = -1;
    if (rc == SIM_OK && (fd = open(f->staging, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666)) < 0)
        rc = sim_err_set(err, errno == EEXIST ? SIM_EINVAL : SIM_EIO, "%s: cannot create: %s", f->staging,
                         errno == EEXIST ? "another run created it just now" : strerror(errno));
    if (rc == SIM_OK && (lock_fd(fd) != 0 || fstat(fd, &st) != 0)) {
        rc = sim_err_set(err, SIM_EIO, "%s: cannot lock: %s", f->staging, strerror(errno));
        unlink(f->staging);
    }
    if (rc != SIM_OK) {
        if (fd >= 0) close(fd);
        sim_outfile_release(f);
        return rc;
    }
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    set_name(f);
    return SIM_OK;
}

int sim_outfile_commit(sim_outfile *f, sim_err *err)
{
    if (fsync(f->fd) != 0)
        return sim_err_set(err, SIM_EIO, "%s: cannot sync to disk: %s", f->staging, strerror(errno));
    int rc = renameat2(AT_FDCWD, f->staging, AT_FDCWD, f->part, RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {   /* file system without it */
        rc = link(f->staging, f->part);
        if (rc == 0) unlink(f->staging);
    }
    if (rc != 0) {
        int e = errno;
        unlink(f->staging);
        return sim_err_set(err, e == EEXIST ? SIM_EINVAL : SIM_EIO, "%s: %s", f->part,
                           e == EEXIST ? "another run created it meanwhile" : strerror(e));
    }
    free(f->staging);
    f->staging = NULL;
    return SIM_OK;
}

int sim_outfile_reopen(sim_outfile *f, const char *path, sim_err *err)
{
    if (init(f, path) != 0) {
        sim_outfile_release(f);
        return sim_err_set(err, SIM_ENOMEM, "output: out of memory");
    }
    struct stat st;
    if (lstat(f->part, &st) != 0) {
        int e = errno;
        sim_err_set(err, SIM_EINVAL, "%s: cannot resume: %s", f->part,
                    e == ENOENT ? "no interrupted run there" : strerror(e));
        sim_outfile_release(f);
        return SIM_EINVAL;
    }
    int rc = open_existing(f, err);
    if (rc != SIM_OK) {
        sim_outfile_release(f);
        return rc;
    }
    set_name(f);
    return SIM_OK;
}

int sim_outfile_reserve(sim_outfile *f, unsigned long long end, sim_err *err)
{
    struct stat st;
    if (fstat(f->fd, &st) != 0)
        return sim_err_set(err, SIM_EIO, "%s: cannot stat: %s", f->part, strerror(errno));
    if ((unsigned long long)st.st_size >= end)
        return SIM_OK;
    int e = posix_fallocate(f->fd, st.st_size, (off_t)(end - (unsigned long long)st.st_size));
    if (e != 0)
        return sim_err_set(err, SIM_EIO, "%s: cannot reserve %llu bytes for the next task: %s (disk full?)", f->part,
                           end - (unsigned long long)st.st_size, strerror(e));
    return SIM_OK;
}

int sim_outfile_trim(sim_outfile *f, unsigned long long end, sim_err *err)
{
    struct stat st;
    if (fstat(f->fd, &st) != 0 || ((unsigned long long)st.st_size > end && ftruncate(f->fd, (off_t)end) != 0))
        return sim_err_set(err, SIM_EIO, "%s: cannot trim to %llu bytes: %s", f->part, end, strerror(errno));
    return SIM_OK;
}

/* Is PATH.part still the file we hold (not replaced by a link or another file meanwhile)? */
static int still_ours(const sim_outfile *f)
{
    struct stat st;
    return lstat(f->staging ? f->staging : f->part, &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == f->dev && st.st_ino == f->ino;
}

int sim_outfile_publish(sim_outfile *f, int replace, sim_err *err)
{
    if (f->fd < 0 || !still_ours(f))
        return sim_err_set(err, SIM_EIO, "%s: was replaced by another file during the run; not publishing it", f->part);
    if (fsync(f->fd) != 0)
        return sim_err_set(err, SIM_EIO, "%s: cannot sync to disk: %s (kept)", f->part, strerror(errno));
    int rc;
    if (replace) {
        rc = rename(f->part, f->path);
    } else {
        rc = renameat2(AT_FDCWD, f->part, AT_FDCWD, f->path, RENAME_NOREPLACE);
        if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {   /* file system without it */
            rc = link(f->part, f->path);
            if (rc == 0) unlink(f->part);
        }
    }
    if (rc != 0 && errno == EEXIST)
        return sim_err_set(err, SIM_EIO, "%s: appeared during the run; not replacing it (use --force to replace). "
                           "The finished output is kept in %s", f->path, f->part);
    if (rc != 0)
        return sim_err_set(err, SIM_EIO, "%s: cannot rename to %s: %s (kept)", f->part, f->path, strerror(errno));
    return SIM_OK;
}

void sim_outfile_remove(sim_outfile *f)
{
    if (f->fd >= 0 && still_ours(f))
        unlink(f->staging ? f->staging : f->part);
}

void sim_outfile_release(sim_outfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    free(f->path);
    free(f->part);
    free(f->staging);
    f->path = f->part = f->staging = NULL;
}
