import AirlockCore
import AirlockReports
import ArgumentParser
import Foundation

/// `airlock inventory`: what the inputs hold, by kind and namespace.
struct InventoryCommand: PathsCommand {
    static let configuration = CommandConfiguration(commandName: "inventory", abstract: "List the resources the inputs hold.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: InputOptions.manifestPathsHelp)
    var paths: [String] = []

    @OptionGroup var input: InputOptions

    @Option(help: "Output format: table (counts by kind and namespace) or json (every resource with provenance).")
    var format: Format = .table

    func run() throws {
        let discovered = InputDiscovery.expand(try input.pathsOrStandardInput(paths))
        let set = ManifestSet.load(
            discovered.sources, limits: input.limits, decoder: ManifestDecoder(defaultNamespace: input.namespace),
            allowEmpty: input.allowEmpty || !discovered.errors.isEmpty)
        // Files are named relative to the working folder, on standard error too, as reports name them.
        let relativizer = PathRelativizer(root: nil)
        let diagnostics = (discovered.errors + set.diagnostics).map { $0.naming(files: relativizer.relative) }
        var output = DescriptorSink.standardOutput()
        switch format {
        case .table: output.write(InventoryTable.render(set.inventory))
        case .json: InventoryJSON.write(set.inventory, diagnostics: diagnostics, relative: relativizer.relative, to: &output)
        }
        try output.finish(path: DescriptorSink.standardOutputName)
        for folder in discovered.skippedFolders { printNote(InputDiscovery.skippedFolderNote(folder)) }
        for file in set.emptyFiles { printNote(ManifestSet.emptyFileNote(file)) }
        for diagnostic in diagnostics { printError(TextReporter.diagnosticLine(diagnostic)) }
        if !diagnostics.isEmpty { throw ExitCode(2) }
    }
}

/// Writes one line to standard error, its control characters escaped (messages quote file names
/// and text from the inputs).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((TextSanitizer.terminal(line) + "\n").utf8))
}

/// Tells the user something on standard error that neither fails the run nor belongs in a report.
func printNote(_ note: String) {
    printError("airlock: note: " + note)
}
