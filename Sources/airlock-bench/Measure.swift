import Foundation

/// Timing of one phase over several runs.
struct Timing {
    var seconds: [Double]

    var min: Double { seconds.min() ?? 0 }
    var median: Double {
        let sorted = seconds.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// Runs `body` `runs` times and records the wall time of each.
    static func measure(runs: Int, _ body: () throws -> Void) rethrows -> Timing {
        Timing(seconds: try (0..<runs).map { _ in try time(body) })
    }

    /// The wall time of one run of `body`, in seconds.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// A child process run to completion, with its wall time and peak memory.
struct ChildRun {
    var seconds: Double
    var maxResidentBytes: Int
    var exitCode: Int32

    /// Peak memory is the child's own high-water mark (`VmHWM`), sampled every millisecond while it
    /// runs: `ru_maxrss` cannot be used, because a child started by `posix_spawn` (vfork) carries
    /// the benchmark's own resident size into its high-water mark across `exec`.
    static func run(_ executable: String, _ arguments: [String]) throws -> ChildRun {
        var pid: pid_t = 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
            throw CocoaError(.executableNotLoadable)
        }
        var status: Int32 = 0
        var peak = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            peak = max(peak, highWaterMark(of: pid) ?? 0)
            usleep(1000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return ChildRun(seconds: seconds, maxResidentBytes: peak, exitCode: (status >> 8) & 0xFF)
    }

    /// `VmHWM` of a running process, in bytes.
    private static func highWaterMark(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}

/// Discards report output while counting it.
struct CountingSink: TextOutputStream {
    var bytes = 0
    mutating func write(_ string: String) { bytes += string.utf8.count }
}
