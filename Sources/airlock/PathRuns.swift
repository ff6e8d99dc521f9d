import ArgumentParser

/// A command whose positional arguments are paths, as many as the user gives.
protocol PathsCommand: ParsableCommand {
    var paths: [String] { get set }
}

/// Parses a command line whose paths run to thousands (`airlock check $(git ls-files '*.yaml')`)
/// in linear time. swift-argument-parser copies a repeating argument's array, and the set of its
/// input positions, for every value it adds, whatever the argument's parsing strategy: `check`
/// on 20,000 named files took 22.6 s, most of it parsing. So the parser gets the command line with
/// each run of two or more values that can only be paths folded into one placeholder, and the
/// paths are unfolded after.
///
/// A value can only be a path when the token before it is a value too (every option takes at
/// most the one value after it) and it names no command. The parser still reads every option
/// and every path that starts a run. Whatever else comes of the folded line (an error, help, a
/// command without paths, a placeholder missing from the paths, paths that fail the command's
/// validation) parses the command line as given, so errors and help are the parser's own.
enum PathRuns {
    /// A command line folded for the parser: `arguments`, where placeholder `i` stands for
    /// `runs[i]`.
    struct Folded: Equatable {
        var arguments: [String]
        var runs: [ArraySlice<String>]
    }

    /// Parses `arguments` (the command line without the program's name) as `Airlock.parseAsRoot`
    /// does.
    static func parseAsRoot(_ arguments: [String]) throws -> ParsableCommand {
        let folded = fold(arguments)
        guard !folded.runs.isEmpty,
              var command = (try? Airlock.parseAsRoot(folded.arguments)) as? PathsCommand,
              let paths = unfold(command.paths, runs: folded.runs)
        else { return try Airlock.parseAsRoot(arguments) }
        command.paths = paths
        // The command validated its folded paths; `bundle verify` refuses `-` among them.
        guard (try? command.validate()) != nil else { return try Airlock.parseAsRoot(arguments) }
        return command
    }

    /// `arguments` with each run of two or more path-only values replaced by a placeholder.
    static func fold(_ arguments: [String]) -> Folded {
        let commandNames = commandNames(of: Airlock.self)
        var folded = Folded(arguments: [], runs: [])
        var afterTerminator = false
        var previousIsValue = false
        var runStart: Int?
        func closeRun(at end: Int) {
            guard let start = runStart else { return }
            runStart = nil
            if end - start < 2 { folded.arguments += arguments[start..<end]; return }
            folded.arguments.append(placeholder(folded.runs.count))
            folded.runs.append(arguments[start..<end])
        }
        for (index, argument) in arguments.enumerated() {
            // As the parser splits them: everything after the first `--` is a value, and so is
            // anything not starting with `-`, and `-` itself.
            let isValue = afterTerminator || argument == "-" || !argument.hasPrefix("-")
            if isValue && previousIsValue && !commandNames.contains(argument) {
                if runStart == nil { runStart = index }
            } else {
                closeRun(at: index)
                folded.arguments.append(argument)
            }
            if argument == "--" { afterTerminator = true }
            previousIsValue = isValue
        }
        closeRun(at: arguments.endIndex)
        return folded
    }

    /// `paths` with each placeholder replaced by its run, or nil unless every run is there once,
    /// in order.
    static func unfold(_ paths: [String], runs: [ArraySlice<String>]) -> [String]? {
        var unfolded: [String] = []
        unfolded.reserveCapacity(paths.count + runs.reduce(0) { $0 + $1.count })
        var nextRun = 0
        for path in paths {
            guard path.hasPrefix(placeholderPrefix) else { unfolded.append(path); continue }
            guard path == placeholder(nextRun) else { return nil }
            unfolded += runs[nextRun]
            nextRun += 1
        }
        return nextRun == runs.count ? unfolded : nil
    }

    /// A NUL starts no command-line argument, so no path is taken for a placeholder.
    private static let placeholderPrefix = "\u{0}airlock-paths-"

    private static func placeholder(_ run: Int) -> String { placeholderPrefix + String(run) }

    /// The names of `command`'s subcommands, theirs, and so on, with `help`.
    private static func commandNames(of command: ParsableCommand.Type) -> Set<String> {
        command.configuration.subcommands.reduce(into: ["help"]) { names, subcommand in
            names.insert(subcommand._commandName)
            names.formUnion(subcommand.configuration.aliases)
            names.formUnion(commandNames(of: subcommand))
        }
    }
}
