import Crypto
import Dispatch
import YAMLSource

/// Everything read from the manifest inputs of a run: the inventory, the problems found, and the
/// files read with their digests. Files are read and parsed in parallel; results keep input order.
public struct ManifestSet: Sendable {
    public var inventory: Inventory
    public var diagnostics: [Diagnostic]
    public var artifacts: [CheckResult.Artifact]

    /// Reads `sources`; `allowEmpty` accepts inputs that hold no resource at all.
    public static func load(
        _ sources: [InputDiscovery.Source], limits: YAMLLimits, decoder: ManifestDecoder, allowEmpty: Bool
    ) -> ManifestSet {
        let slots = ResultSlots<FileOutcome>(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            slots[index] = readFile(sources[index], limits: limits, decoder: decoder)
        }
        var inventory = Inventory()
        var diagnostics: [Diagnostic] = []
        var artifacts: [CheckResult.Artifact] = []
        for outcome in slots.values {
            for resource in outcome.resources { inventory.add(resource) }
            diagnostics.append(contentsOf: outcome.diagnostics)
            if let artifact = outcome.artifact { artifacts.append(artifact) }
        }
        if inventory.count == 0, !allowEmpty, !sources.isEmpty || diagnostics.isEmpty {
            diagnostics.append(Diagnostic(
                kind: .input,
                message: "the inputs hold no Kubernetes resource (did `helm template` fail upstream?); pass --allow-empty if that is expected",
                location: nil))
        }
        return ManifestSet(inventory: inventory, diagnostics: diagnostics, artifacts: artifacts)
    }

    private struct FileOutcome: Sendable {
        var resources: [Resource] = []
        var diagnostics: [Diagnostic] = []
        var artifact: CheckResult.Artifact?
    }

    private static func readFile(_ source: InputDiscovery.Source, limits: YAMLLimits, decoder: ManifestDecoder) -> FileOutcome {
        var outcome = FileOutcome()
        let input: (name: String, bytes: [UInt8])
        switch InputReader.read(source) {
        case .failure(let error):
            outcome.diagnostics.append(error)
            return outcome
        case .success(let read): input = read
        }
        outcome.artifact = CheckResult.Artifact(path: input.name, sha256: input.bytes.sha256Hex)
        let loaded = YAMLLoader(limits: limits).load(input.bytes, file: input.name)
        outcome.diagnostics = loaded.errors.map(Diagnostic.init(yamlError:))
        for document in loaded.documents {
            let decoded = decoder.resources(in: document)
            outcome.resources.append(contentsOf: decoded.resources)
            outcome.diagnostics.append(contentsOf: decoded.errors)
        }
        return outcome
    }
}

extension Diagnostic {
    /// An input diagnostic from a YAML error.
    public init(yamlError: YAMLError) {
        self.init(kind: .input, message: yamlError.message, location: SourceSpan(file: yamlError.file, line: yamlError.line, column: yamlError.column))
    }
}

extension Array where Element == UInt8 {
    /// SHA-256 of the bytes, lower-case hexadecimal.
    public var sha256Hex: String {
        var text = ""
        for byte in SHA256.hash(data: self) {
            text += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return text
    }
}
