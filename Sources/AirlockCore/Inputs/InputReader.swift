import Foundation

/// Reads an input's bytes, turning every failure into a diagnostic that names the file.
public enum InputReader {
    /// The name standard input gets in reports.
    public static let standardInputName = "<stdin>"

    public static func read(_ source: InputDiscovery.Source) -> Result<(name: String, bytes: [UInt8]), Diagnostic> {
        switch source {
        case .standardInput:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return .success((standardInputName, [UInt8](data)))
        case .file(let path):
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
                return .success((path, [UInt8](data)))
            } catch {
                let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
                return .failure(Diagnostic(kind: .input, message: "cannot read file: \(reason)", location: SourceSpan(file: path, line: 1, column: 1)))
            }
        }
    }
}
