import Foundation

/// Starts a program with posix_spawn and waits for it with waitpid, under a
/// deadline. Used instead of Foundation's Process, which on Linux was seen
/// here to miss a child's exit and wait forever.
enum Spawn {
    struct Outcome {
        var status: Int32
        var timedOut: Bool
    }

    /// Runs `path` with `arguments`; stdout and stderr go to the given files
    /// (or /dev/null), stdin is /dev/null. Kills it with SIGKILL at the deadline.
    static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                    stdout: String? = nil, stderr: String? = nil, limit: TimeInterval) throws -> Outcome {
        let pid = try launch(path, arguments, environment: environment, stdout: stdout, stderr: stderr)
        let deadline = Date().addingTimeInterval(limit)
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 { return Outcome(status: -1, timedOut: false) }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return Outcome(status: -1, timedOut: true)
            }
            usleep(10_000)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG by hand: the macros do not import.
        let signal = status & 0x7f
        return Outcome(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, timedOut: false)
    }

    /// Starts `path` (stdin /dev/null; stdout and stderr to the given files or
    /// /dev/null) with default signal handling and nothing blocked, in a process
    /// group of its own when asked (so a deadline can kill it and its children).
    static func launch(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                       stdout: String? = nil, stderr: String? = nil, processGroup: Bool = false) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Children start with default signal handling and nothing blocked.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if processGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(rc)) }
        return pid
    }
}
