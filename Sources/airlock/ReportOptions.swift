import AirlockCore
import AirlockReports
import ArgumentParser
import Foundation

extension ReportFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

/// Where and how to write reports, and what fails the run.
struct ReportOptions: ParsableArguments {
    @Option(help: "Format of the report on standard output: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .text

    @Option(name: .customLong("output"), help: ArgumentHelp("Also write a report to a file, as FORMAT=FILE (repeatable).", valueName: "format=file"))
    var outputs: [String] = []

    @Option(help: "Findings at or above this severity fail the run (exit 1); info findings never fail. Default: low, or the gate profile's.")
    var failOn: Severity?

    @Flag(inversion: .prefixedNo, help: "Evaluation errors make the result untrustworthy (exit 2).")
    var failOnError = true

    @Flag(inversion: .prefixedNo, help: "Report a finding that the ReplicaSets and Pods of a controller (Deployment, StatefulSet, DaemonSet, Job, CronJob) repeat once, at the controller, listing where else it is.")
    var foldOwned = true

    @Option(help: "Folder that report paths are relative to (default: the working folder).")
    var root: String?

    func validate() throws {
        var isFolder: ObjCBool = false
        if let root, !FileManager.default.fileExists(atPath: root, isDirectory: &isFolder) || !isFolder.boolValue {
            throw ValidationError("--root \(root): no such folder")
        }
    }

    /// The parsed `--output` pairs; two reports may not share a file (they are written at once;
    /// also through a link), nor one with the `--write-baseline` file of `baseline`, and none of
    /// them may replace one of the `inputs` (files read by the run), a file `alsoRead` gives
    /// (asked only when a file is written), or a file inside one of `readFolders` (packages and
    /// bundles given as folders, each of whose files the run reads), but the baseline the
    /// baseline file updates (`--baseline` of the same file).
    func fileOutputs(
        inputs: [String] = [], alsoRead: () -> [String] = { [] }, readFolders: [String] = [], baseline: (written: String, read: String?)? = nil
    ) throws -> [(format: ReportFormat, path: String)] {
        // Resolving every input costs system calls per file: 80,000 small inputs took seconds.
        guard !outputs.isEmpty || baseline != nil else { return [] }
        var seen: [String: String] = [:]
        let inputFiles = ReadFiles(
            files: Dictionary((inputs + alsoRead()).filter(ResolvedPath.isRegularFile).map { (ResolvedPath.of($0), $0) }) { first, _ in first },
            folders: readFolders.filter { !ResolvedPath.isRegularFile($0) }.map { (ResolvedPath.of($0), $0) })
        if let baseline {
            var others = inputFiles
            others.updated = baseline.read.map(ResolvedPath.of)
            try Self.claim(baseline.written, as: "the baseline", by: "--write-baseline \(baseline.written)", seen: &seen,
                           inputs: others, standardOutputHint: "write the baseline to a file")
        }
        return try outputs.map { pair in
            guard let equals = pair.firstIndex(of: "="), let format = ReportFormat(rawValue: String(pair[..<equals])) else {
                throw ValidationError("--output takes FORMAT=FILE with FORMAT one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(pair)\"")
            }
            let path = String(pair[pair.index(after: equals)...])
            guard !path.isEmpty else { throw ValidationError("--output \(pair): missing file name") }
            try Self.claim(path, as: "another report", by: "--output \(pair)", seen: &seen, inputs: inputFiles, standardOutputHint: "use --format \(format.rawValue)")
            return (format, path)
        }
    }

    /// Takes `path` for what `flag` writes (`what`, as other flags' errors name it): a usage
    /// error when an earlier flag writes it, when it is one of `inputs`, or standard output.
    private static func claim(
        _ path: String, as what: String, by flag: String, seen: inout [String: String], inputs: ReadFiles, standardOutputHint: String
    ) throws {
        // `-` is standard input and output everywhere else on the command line (paths,
        // `--values -`): written as a file named `-`, the report the user meant for the log
        // would be left in the checkout. A file of that name is `./-`.
        guard path != "-" else {
            throw ValidationError("\(flag): - would be a file named -, not standard output, which carries the --format report; \(standardOutputHint) (or name the file ./-)")
        }
        let resolved = ResolvedPath.of(path)
        if let writer = seen[resolved] { throw ValidationError("\(flag): \(writer) is already written to \(path)") }
        seen[resolved] = what
        if let input = inputs.files[resolved], resolved != inputs.updated {
            throw ValidationError("\(flag): \(path) is the input \(input); a report must not replace what it reports on")
        }
        if resolved != inputs.updated, ResolvedPath.isRegularFile(path), let folder = inputs.folders.first(where: { resolved.hasPrefix($0.resolved + "/") }) {
            throw ValidationError("\(flag): \(path) is a file of the input \(folder.name); a report must not replace what it reports on")
        }
        guard !isStandardOutputStream(path) else {
            throw ValidationError("\(flag): \(path) is standard output, which carries the --format report; \(standardOutputHint)")
        }
    }

    /// What a report must not replace: the files the run read, by resolved path, and the folders
    /// every file of which it read (resolved path, and the name given); but `updated`, the
    /// `--baseline` that `--write-baseline` rewrites.
    private struct ReadFiles {
        var files: [String: String]
        var folders: [(resolved: String, name: String)]
        var updated: String?
    }

    /// Whether `path` is the file, pipe or terminal standard output writes to (`/dev/stdout`, or
    /// `--output sarif=out > out`): both reports would be written to it at once. /dev/null is not.
    private static func isStandardOutputStream(_ path: String) -> Bool {
        var target = stat()
        var output = stat()
        var null = stat()
        guard stat(path, &target) == 0, fstat(STDOUT_FILENO, &output) == 0,
              target.st_dev == output.st_dev, target.st_ino == output.st_ino else { return false }
        let isNull = target.st_mode & S_IFMT == S_IFCHR && stat("/dev/null", &null) == 0 && target.st_rdev == null.st_rdev
        return !isNull
    }

    /// Opens every report file before any is written (see `AtomicFile.Pending`); when one cannot
    /// be opened, those already opened are discarded and the error thrown.
    private func open(_ files: [(format: ReportFormat, path: String)]) throws -> [(format: ReportFormat, file: AtomicFile.Pending)] {
        var opened: [(format: ReportFormat, file: AtomicFile.Pending)] = []
        do {
            for (format, path) in files { opened.append((format, try AtomicFile.open(path))) }
        } catch {
            for output in opened { output.file.discard() }
            throw error
        }
        return opened
    }

    /// Writes every requested report and exits with the result's code. The report files and
    /// the `baseline` file are checked against `inputs` and each other (see `fileOutputs`), the
    /// reports opened first, then `first` runs (writing the baseline): a report that cannot be written is an error (exit 2) before anything is
    /// written, so that the reports written carry the code the run ends with. `subjects` are the
    /// paths rules evaluate as subjects (packages, bundles, the exceptions file), made relative
    /// as the files of their findings are; `named`, the paths the command line named, which notes
    /// and reasons name files below.
    func emit(
        _ result: CheckResult, inputs: [String], alsoRead: () -> [String] = { [] }, readFolders: [String] = [], subjects: [String] = [],
        named: [String] = [], baseline: (written: String, read: String?)? = nil, first: () throws -> Void = {}
    ) throws -> Never {
        let files = try open(fileOutputs(inputs: inputs, alsoRead: alsoRead, readFolders: readFolders, baseline: baseline))
        let relative = PathRelativizer(root: root).relativize(result, subjects: subjects, named: named)
        let environment = ProcessInfo.processInfo.environment
        let context: ReportContext
        do {
            try first()
            context = ReportContext(
                toolVersion: Airlock.version, informationURI: "https://github.com/airlock-dev/airlock",
                timestamp: try ReportContext.resolveTimestamp(environment: environment, runStart: Date()),
                sourceLines: SourceLineCache.provider(root: root, inputs: inputs))
        } catch {
            for output in files { output.file.discard() }
            throw error
        }
        let terminalContext = {
            var terminal = context
            terminal.colour = isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil
            return terminal
        }()
        // The report files and standard output are written at the same time, one per core.
        let failures = ResultSlots<any Error>(count: files.count + 1)
        DispatchQueue.concurrentPerform(iterations: files.count + 1) { index in
            do {
                if index < files.count {
                    let (format, file) = files[index]
                    try file.write { sink in try format.makeReporter().write(relative, context: context, to: &sink) }
                } else {
                    var standardOutput = DescriptorSink.standardOutput()
                    try format.makeReporter().write(relative, context: terminalContext, to: &standardOutput)
                    try standardOutput.finish(path: DescriptorSink.standardOutputName)
                }
            } catch {
                failures[index] = error
            }
        }
        if let failure = failures.values.first { throw failure }
        Foundation.exit(result.exitCode)
    }
}
