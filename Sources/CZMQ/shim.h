// libzmq's C API (Debian: libzmq3-dev). Only the Messaging module imports this.
#include <zmq.h>
