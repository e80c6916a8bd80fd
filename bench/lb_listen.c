/* Live TCP listeners for bench/lb.sh: listens on ADDR:PORT..PORT+COUNT-1 and accepts and
 * closes every connection (a TCP_CHECK only needs the handshake), all on one epoll loop so a
 * thousand real servers cost one process. Killing the process closes every port at once
 * (the kernel answers further SYNs with RST), which is the "real server died" event.
 *   lb_listen ADDR PORT COUNT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 4) { fprintf(stderr, "usage: lb_listen ADDR PORT COUNT\n"); return 2; }
  int port = atoi(argv[2]), count = atoi(argv[3]);
  struct rlimit rl = {(rlim_t)count + 64, (rlim_t)count + 64};
  setrlimit(RLIMIT_NOFILE, &rl);  /* a thousand ports need more than the default 1024 fds */
  int ep = epoll_create1(0);
  for (int i = 0; i < count; ++i) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)(port + i))};
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1 || bind(s, (struct sockaddr*)&a, sizeof a) || listen(s, 128)) {
      perror("lb_listen bind/listen");
      return 1;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = s};
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
  }
  for (;;) {
    struct epoll_event evs[64];
    int n = epoll_wait(ep, evs, 64, -1);
    for (int i = 0; i < n; ++i) {
      int c;
      while ((c = accept(evs[i].data.fd, NULL, NULL)) >= 0) close(c);
    }
  }
}
