#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include "offload.h"

void lobby_job_run_here(lobby_job *j) {
	switch (j->kind) {
	case LOBBY_JOB_CHECKPOINT:
		j->rc = sqlite3_wal_checkpoint_v2(j->db, 0, 0 /* SQLITE_CHECKPOINT_PASSIVE */, &j->log, &j->copied);
		break;
	case LOBBY_JOB_FSYNC:
		while ((j->rc = fsync(j->fd) == 0 ? 0 : errno) == EINTR) {
		}
		break;
	case LOBBY_JOB_SLEEP:
		usleep(j->fd);
		j->rc = 0;
		break;
	default:
		j->rc = EINVAL;
	}
	int done = j->done; // j may be freed once over is seen
	__atomic_store_n(&j->over, 1, __ATOMIC_RELEASE);
	char b = 1;
	while (write(done, &b, 1) < 0 && errno == EINTR) {
	}
}

static void *lobby_job_run(void *p) {
	lobby_job_run_here(p);
	return 0;
}

// lobby_offload starts j on a detached thread of its own. It returns 0, or the error of
// pthread_create, in which case nothing was started.
int lobby_offload(lobby_job *j) {
	pthread_attr_t a;
	int rc = pthread_attr_init(&a);
	if (rc) return rc;
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	rc = pthread_create(&t, &a, lobby_job_run, j);
	pthread_attr_destroy(&a);
	return rc;
}

// lobby_job_over reports whether j's thread is done with j.
int lobby_job_over(lobby_job *j) { return __atomic_load_n(&j->over, __ATOMIC_ACQUIRE); }
