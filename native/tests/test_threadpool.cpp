// The CPU thread pool when threads cannot start, and contexts created and destroyed from
// several threads at once. A pool whose k-th thread fails must stop and join the workers it
// started and report the thread (ThreadPool::start); nv_ctx_create turns that into
// NV_ERR_RESOURCE and the library stays usable. Before, the exception left the constructor with
// live workers: the process hung (a condition variable destroyed under its waiters) or aborted
// ("terminate called without an active exception": a joinable std::thread destroyed).
//  - injected failures at chosen threads (start's fail_at), checked against /proc/self/task;
//  - the real thing in a forked child under an address-space limit (RLIMIT_AS), where 1024
//    thread stacks cannot fit; the parent kills a child that hangs (skipped under ASan, which
//    needs more address space than any such limit leaves);
//  - create / run / destroy loops on 4 threads.
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <memory>
#include <mutex>
#include <thread>

#include "core/threadpool.h"
#include "harness.h"

using namespace harness;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

// OS threads of this process now.
int os_threads() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
  }
  return n;
}

// A pool that runs: the sum of 0 .. 999 over its threads.
bool pool_works(nv::ThreadPool& pool) {
  std::atomic<int64_t> sum{0};
  pool.run(1000, [&](int64_t t) { sum += t; });
  return sum.load() == 999 * 1000 / 2;
}

// Worker `fail_at` fails as pthread_create does under a limit (EAGAIN).
void injected_failure(int threads, int fail_at) {
  const int before = os_threads();
  char what[256] = "no error";
  std::unique_ptr<nv::ThreadPool> pool(nv::ThreadPool::start(threads, what, sizeof what, fail_at));
  const std::string want = fmt("could not start thread %d of %d: %s", fail_at, threads,
                               std::strerror(EAGAIN));
  verdict(pool == nullptr && what == want, "pool of %d failing at thread %d: \"%s\"", threads,
          fail_at, what);
  const int after = os_threads();
  verdict(after == before, "pool of %d failing at thread %d: %d OS threads before, %d after",
          threads, fail_at, before, after);
}

void injected_failures() {
  for (int threads : {2, 8, 64}) {
    injected_failure(threads, 1);
    injected_failure(threads, threads - 1);
  }
  injected_failure(64, 37);
  char error[256] = "";
  std::unique_ptr<nv::ThreadPool> pool(nv::ThreadPool::start(4, error, sizeof error));
  verdict(pool != nullptr && pool_works(*pool), "a pool of 4 after the failures runs its tasks %s",
          error);
}

// One context's life: create, a reduction split over its threads, destroy.
bool context_round(int threads, std::string* error) {
  nv_ctx* ctx = nullptr;
  if (nv_ctx_create(NV_BACKEND_CPU, 0, threads, &ctx) != NV_OK) {
    *error = nv_last_error();
    return false;
  }
  std::vector<float> host(1 << 17, 1.0f);
  void* x = nullptr;
  void* out = nullptr;
  float sum = 0;
  bool ok = nv_alloc(ctx, int64_t(host.size()) * 4, &x) == NV_OK && nv_alloc(ctx, 4, &out) == NV_OK &&
            nv_write_f32(ctx, static_cast<float*>(x), host.data(), int64_t(host.size())) == NV_OK &&
            nv_reduce_f32(ctx, NV_REDUCE_SUM, 1, int64_t(host.size()), 1, static_cast<float*>(x),
                          static_cast<float*>(out)) == NV_OK &&
            nv_read_f32(ctx, static_cast<float*>(out), &sum, 1) == NV_OK && sum == float(host.size());
  if (!ok) *error = fmt("sum %g: %s", sum, nv_last_error());
  nv_free(ctx, x);
  nv_free(ctx, out);
  if (nv_ctx_destroy(ctx) != NV_OK) ok = false;
  return ok;
}

// 4 threads each create, use and destroy 40 contexts of 1 to 8 threads.
void concurrent_contexts() {
  const int before = os_threads();
  std::atomic<int> failed{0};
  std::string first_error;
  std::vector<std::thread> users;
  for (int u = 0; u < 4; ++u) {
    users.emplace_back([u, &failed, &first_error] {
      for (int i = 0; i < 40; ++i) {
        std::string error;
        if (!context_round(1 + (u + i) % 8, &error) && failed++ == 0) first_error = error;
      }
    });
  }
  for (auto& t : users) t.join();
  verdict(failed == 0 && os_threads() == before,
          "4 threads x 40 contexts created, used, destroyed: %d failed (%s), %d OS threads after %d",
          failed.load(), first_error.c_str(), os_threads(), before);
}

// In the child: under RLIMIT_AS, Device.cpu(1024)'s context must fail naming the thread, leave
// no thread behind, and a 2-thread context must then work; contexts piled up until one fails
// must fail the same way and free everything. Returns the exit code.
int limited_child() {
  rlimit lim{};
  getrlimit(RLIMIT_AS, &lim);
  // 512 MiB above what the process maps now: less than 1024 thread stacks of even 1 MiB (glibc
  // sizes them by RLIMIT_STACK at process start: 8 MiB by default, 32 MiB when unlimited).
  long pages = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld", &pages) != 1) pages = 0;
    std::fclose(f);
  }
  lim.rlim_cur = rlim_t(pages) * sysconf(_SC_PAGESIZE) + (rlim_t(512) << 20);
  if (setrlimit(RLIMIT_AS, &lim) != 0) {
    std::printf("FAIL setrlimit: %s\n", std::strerror(errno));
    return 1;
  }
  int bad = 0;
  nv_ctx* ctx = nullptr;
  nv_status st = nv_ctx_create(NV_BACKEND_CPU, 0, 1024, &ctx);
  const std::string msg = nv_last_error();
  int index = 0;
  char reason[128] = "";
  const bool named = std::sscanf(msg.c_str(), "nv_ctx_create: could not start thread %d of 1024: %127[^\n]",
                                 &index, reason) == 2 &&
                     index >= 1 && index < 1024;
  bad += !verdict(st == NV_ERR_RESOURCE && ctx == nullptr && named,
                  "child under RLIMIT_AS: nv_ctx_create(1024 threads) -> %d, \"%s\"", st, msg.c_str());
  bad += !verdict(os_threads() == 1, "child: %d OS threads after the failure (want 1)", os_threads());
  std::string error;
  bad += !verdict(context_round(2, &error), "child: a 2-thread context works after it %s", error.c_str());
  // Four fresh threads pile up 64-thread contexts until the system says no. Their first
  // libnerve call is the one that fails: its error path must not need memory that is gone (an
  // exception or a thread_local's first touch made glibc abort: "cannot allocate memory for
  // thread-local data").
  std::vector<nv_ctx*> pile;
  std::mutex pile_mu;
  std::atomic<int> refused{0}, other{0};
  std::string other_error;
  std::vector<std::thread> users;
  for (int u = 0; u < 4; ++u) {
    users.emplace_back([&] {
      for (int i = 0; i < 64; ++i) {
        nv_ctx* c = nullptr;
        const nv_status s = nv_ctx_create(NV_BACKEND_CPU, 0, 64, &c);
        std::lock_guard<std::mutex> lock(pile_mu);
        if (s == NV_OK) {
          pile.push_back(c);
          continue;
        }
        if (s == NV_ERR_RESOURCE && std::strstr(nv_last_error(), "could not start thread") != nullptr) ++refused;
        else if (other++ == 0) other_error = nv_last_error();
        return;
      }
    });
  }
  for (auto& t : users) t.join();
  bad += !verdict(refused == 4 && other == 0,
                  "child: 4 threads piling 64-thread contexts: %zu made, %d refused cleanly, %d other (%s)",
                  pile.size(), refused.load(), other.load(), other_error.c_str());
  for (nv_ctx* c : pile) nv_ctx_destroy(c);
  bad += !verdict(os_threads() == 1 && context_round(8, &error),
                  "child: after freeing the pile, %d OS threads and an 8-thread context works %s",
                  os_threads(), error.c_str());
  return bad == 0 ? 0 : 1;
}

void under_address_space_limit() {
  if (kAsan) {
    std::printf("skipped: the RLIMIT_AS child (ASan reserves more address space than the limit)\n");
    return;
  }
  std::fflush(stdout);
  const pid_t child = fork();
  if (child == 0) {
    const int code = limited_child();
    std::fflush(stdout);
    _exit(code);
  }
  int status = 0;
  bool exited = false;
  for (int i = 0; i < 1200 && !exited; ++i) {  // up to 60 s; the child needs well under 1 s
    exited = waitpid(child, &status, WNOHANG) == child;
    if (!exited) usleep(50 * 1000);
  }
  if (!exited) {
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    verdict(false, "the RLIMIT_AS child hung for 60 s (killed)");
    return;
  }
  verdict(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the RLIMIT_AS child %s %d",
          WIFEXITED(status) ? "exited with" : "died of signal",
          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

}  // namespace

int main() {
  under_address_space_limit();  // first: the process has one thread when it forks
  injected_failures();
  concurrent_contexts();
  return report();
}
