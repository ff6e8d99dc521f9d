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

/// A child process run to completion, with its wall time, CPU time and peak memory.
struct ChildRun {
    var seconds: Double
    /// User and system time of the child.
    var cpuSeconds: Double
    var maxResidentBytes: Int
    var exitCode: Int32

    /// Peak memory is the child's own high-water mark (`VmHWM`): `ru_maxrss` cannot be used,
    /// because a child started by `posix_spawn` (vfork) carries the benchmark's own resident size
    /// into its high-water mark across `exec`. The kernel keeps the mark, so any sample after the
    /// peak reads it; it is read every `sampleInterval` with one `pread` into a fixed buffer,
    /// because this machine has two cores and a busier sampler (every millisecond, through
    /// Foundation) took CPU time from the very process it measured. A process that lives only a
    /// few milliseconds needs a short interval, or its last sample may come before its peak.
    static func run(_ executable: String, _ arguments: [String], sampleInterval: useconds_t = 10_000) throws -> ChildRun {
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
        let statusFile = open("/proc/\(pid)/status", O_RDONLY)
        defer { if statusFile >= 0 { close(statusFile) } }
        var status: Int32 = 0
        var usage = rusage()
        var peak = 0
        while wait4(pid, &status, WNOHANG, &usage) == 0 {
            peak = max(peak, highWaterMark(statusFile) ?? 0)
            usleep(sampleInterval)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return ChildRun(seconds: seconds, cpuSeconds: cpu, maxResidentBytes: peak, exitCode: (status >> 8) & 0xFF)
    }

    /// `VmHWM` in bytes, read from an open `/proc/PID/status`.
    private static func highWaterMark(_ statusFile: Int32) -> Int? {
        guard statusFile >= 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(statusFile, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
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
