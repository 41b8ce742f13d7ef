// MPI for Swift: Open MPI and MPICH define their handles as macros that Swift cannot import, so
// they are wrapped in small inline functions here.
#include <mpi.h>

static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype cmpi_long_long(void) { return MPI_LONG_LONG; }
static inline int cmpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline MPI_Status *cmpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
