import AirlockCore
import ArgumentParser
import AirlockReports
import Foundation
import YAMLSource

/// airlock-bench: measures airlock against the libyaml floor on synthetic cluster exports.
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "airlock-bench",
        abstract: "Measure airlock against the single-threaded libyaml floor on synthetic cluster exports.",
        discussion: "Writes each export under the temporary folder (airlock-bench-N) and times every phase in rounds; see docs/performance.md.")

    @Option(name: .customLong("namespaces"), help: "Sizes to measure, in tenant namespaces (comma-separated).",
            transform: Benchmark.sizes(_:))
    var sizes = [100, 1_000, 5_000]

    @Option(help: "Rounds per size; each round runs every phase once.")
    var runs = 5

    @Option(help: "Seed of the synthetic export.")
    var seed: UInt64 = 42

    @Option(name: .customLong("bundle-mb"), help: "Size of the bundle to hash and read, in MiB (0 skips it).")
    var bundleMegabytes = 512

    @Flag(name: .customLong("per-policy"), help: "Also time each policy of the pack alone, the slowest first.")
    var perPolicy = false

    @Option(name: .customLong("shapes"), help: "Units of the scaling shapes, each timed at N and 4N (0 skips them).")
    var shapeUnits = 1_000

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1.") }
        guard bundleMegabytes >= 0 else { throw ValidationError("--bundle-mb must not be negative.") }
        guard shapeUnits >= 0 else { throw ValidationError("--shapes must not be negative.") }
    }

    private static func sizes(_ text: String) throws -> [Int] {
        let sizes = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--namespaces takes positive whole numbers separated by commas, such as 100,1000,5000.")
        }
        return sizes.compactMap { $0 }
    }

    func run() throws {
        let airlock = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("airlock").path
        print("airlock-bench: seed \(seed), \(runs) runs per phase, min / median seconds, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let baseline = try startup(airlock)
        for size in sizes { try measure(namespaces: size, airlock: airlock, baselineBytes: baseline) }
        try ScalingShapes(units: shapeUnits, runs: runs).run(airlock: airlock)
        try BundleHashing(megabytes: bundleMegabytes, runs: runs, seed: seed).run()
    }

    /// Times `airlock check` on an empty input, then on one tenant namespace of the synthetic
    /// export at the edge (at least 20 runs each: one run is tens of ms, and single runs on a
    /// shared machine vary by more than that). A run compiles only the built-in rules it can
    /// evaluate: the empty one compiles none of the pack, the namespace nearly all of its
    /// resource rules. Returns the empty run's peak memory (runtime, libraries, pack).
    private func startup(_ airlock: String) throws -> Int {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-bench-startup")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let empty = folder.appendingPathComponent("empty.yaml")
        try Data().write(to: empty)
        let namespace = folder.appendingPathComponent("namespace.yaml")
        try Data((SyntheticExport(seed: seed, namespaces: 1).files().first?.text ?? "").utf8).write(to: namespace)
        var emptyPeak = 0
        for (label, arguments) in [("empty input", ["check", "--allow-empty", empty.path]),
                                   ("one tenant namespace, --tier edge", ["check", "--tier", "edge", namespace.path])] {
            var runsSeen: [ChildRun] = []
            for _ in 0..<max(runs, 20) { runsSeen.append(try ChildRun.run(airlock, arguments, sampleInterval: 1000)) }
            let timing = Timing(seconds: runsSeen.map(\.seconds))
            let peak = runsSeen.map(\.maxResidentBytes).max() ?? 0
            if emptyPeak == 0 { emptyPeak = peak }
            print("startup (embedded pack, \(label)): " + String(format: "min %.1f ms, median %.1f ms, peak memory %.1f MB",
                         timing.min * 1000, timing.median * 1000, Double(peak) / 1_048_576))
        }
        return emptyPeak
    }

    private func measure(namespaces: Int, airlock: String, baselineBytes: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-bench-\(namespaces)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = SyntheticExport(seed: seed, namespaces: namespaces).files()
        var inputs: [(String, [UInt8])] = []
        for (name, text) in files {
            let path = folder.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            inputs.append((path, Array(text.utf8)))
        }
        let bytes = inputs.reduce(0) { $0 + $1.1.count }

        let sources = inputs.map { InputDiscovery.Source.file($0.0) }
        var options = CheckOptions()
        options.settings.tier = "edge"
        let context = ReportContext(toolVersion: "bench", informationURI: "https://example.invalid/airlock", timestamp: Date(timeIntervalSince1970: 0))
        // Rounds of every phase in turn, so that a machine slowing down or speeding up between
        // rounds affects the floor and airlock alike: ratios are taken within a round.
        var phases = Array(repeating: [Double](), count: 5)
        var whole: [ChildRun] = []
        var set: ManifestSet?
        var outcome = PolicyEngine.Outcome()
        for _ in 0..<runs {
            phases[0].append(Timing.time { for input in inputs { _ = LibYAMLFloor.parse(input.1) } })
            phases[1].append(Timing.time { for input in inputs { _ = YAMLLoader().load(input.1, file: input.0) } })
            phases[2].append(Timing.time { set = ManifestSet.load(sources, limits: YAMLLimits(), decoder: ManifestDecoder(), allowEmpty: false) })
            guard let inventory = set?.inventory else { return }
            phases[3].append(Timing.time {
                let compiled = CheckRunner.compilePolicies(options, inventory: inventory)
                outcome = PolicyEngine(policies: compiled.policies, settings: options.settings).evaluate(inventory)
            })
            let result = CheckResult(rules: outcome.ruleRuns, findings: outcome.findings, diagnostics: outcome.diagnostics, artifacts: set?.artifacts ?? [])
            phases[4].append(try Timing.time {
                var sink = CountingSink()
                try SARIFReporter().write(result, context: context, to: &sink)
                try JUnitReporter().write(result, context: context, to: &sink)
            })
            whole.append(try ChildRun.run(airlock, [
                "check", "--tier", "edge", folder.path, "--format", "json",
                "--output", "sarif=\(folder.path)/out.sarif", "--output", "junit=\(folder.path)/out.xml",
            ]))
        }
        guard let inventory = set?.inventory else { return }
        let (floor, parse, load, evaluate, reports) = (Timing(seconds: phases[0]), Timing(seconds: phases[1]),
                                                       Timing(seconds: phases[2]), Timing(seconds: phases[3]), Timing(seconds: phases[4]))
        let wholeTiming = Timing(seconds: whole.map(\.seconds))
        let rss = whole.map(\.maxResidentBytes).max() ?? 0
        let megabytes = Double(bytes) / 1_048_576
        func row(_ name: String, _ timing: Timing) {
            print(String(format: "  %-34@ %8.3f %8.3f   %7.1f MB/s  %9.0f resources/s  %5.2fx floor",
                         name as NSString, timing.min, timing.median, megabytes / timing.min, Double(inventory.count) / timing.min, timing.min / floor.min))
        }
        print(String(format: "\n%d namespaces: %d resources, %.1f MB in %d files, %d findings (exit %d)",
                     namespaces, inventory.count, megabytes, inputs.count, outcome.findings.count, whole.first?.exitCode ?? -1))
        row("libyaml event floor (1 thread)", floor)
        row("parse to nodes (1 thread)", parse)
        row("read+parse+inventory (all cores)", load)
        row("evaluate built-in pack", evaluate)
        row("SARIF + JUnit", reports)
        row("whole `airlock check` process", wholeTiming)
        let ratios = Timing(seconds: zip(whole, phases[0]).map { $0.seconds / $1 })
        print(String(format: "  whole / floor within a round: min %.2fx, median %.2fx", ratios.min, ratios.median))
        let cpuRatios = Timing(seconds: zip(whole, phases[0]).map { $0.cpuSeconds / $1 })
        print(String(format: "  whole process CPU time (all cores): min %.3f s; / floor within a round: min %.2fx, median %.2fx",
                     Timing(seconds: whole.map(\.cpuSeconds)).min, cpuRatios.min, cpuRatios.median))
        print(String(format: "  peak memory (max RSS) %.1f MB = %.2fx input size; %.1f MB above the empty run = %.2fx input size",
                     Double(rss) / 1_048_576, Double(rss) / Double(bytes),
                     Double(rss - baselineBytes) / 1_048_576, Double(rss - baselineBytes) / Double(bytes)))
        if perPolicy { timeEachPolicy(options, inventory: inventory) }
    }

    /// Evaluation time of each policy alone (min over the runs), the slowest first.
    private func timeEachPolicy(_ options: CheckOptions, inventory: Inventory) {
        let compiled = CheckRunner.compilePolicies(options, inventory: inventory).policies
        let timings = compiled.map { policy in
            (policy.descriptor.id, Timing.measure(runs: runs) {
                _ = PolicyEngine(policies: [policy], settings: options.settings).evaluate(inventory)
            })
        }
        for (id, timing) in timings.sorted(by: { $0.1.min > $1.1.min }) {
            print(String(format: "    %-40@ %8.3f s", id as NSString, timing.min))
        }
    }
}

Benchmark.main()
