// lwIP's headers, with C linkage: the Debian lwipopts.h declares sys_check_core_locking() and
// friends outside any extern "C" block, and the definitions we provide must match the library's.
#pragma once

extern "C" {
#include "lwip/init.h"
#include "lwip/ip.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
}
