import Foundation
import YAMLSource

/// Where policies come from: the pack embedded in the binary and the files given with `--policies`.
public enum PolicySource {
    /// The policy files of the built-in pack (path under policies/, contents).
    public static var builtin: [(path: String, contents: String)] { BuiltinPack.files }

    /// Loads the built-in pack (unless `includeBuiltin` is false) and the policy files under `paths`
    /// (files, or folders searched recursively for `*.yaml`, `*.yml` and `*.json`, as inputs are,
    /// skipping `tests/` folders). `notes` name each Kyverno `PolicyException` of a path that holds
    /// policies too: it is not applied (a path holding only such exceptions is an error saying so).
    /// A file of more than `limit` bytes is an error.
    public static func load(paths: [String], includeBuiltin: Bool, limit: Int = YAMLLimits().maxInputBytes) -> (policies: [Policy], errors: [Diagnostic], notes: [String]) {
        var policies: [Policy] = []
        var errors: [Diagnostic] = []
        var notes: [String] = []
        var definitions: [(id: String, location: SourceSpan)] = []
        var bindings: [AdmissionPolicyBinding] = []
        let loader = PolicyLoader()
        if includeBuiltin {
            for file in builtin where file.path != Profile.builtinFile {
                let loaded = loader.load(Array(file.contents.utf8), file: "builtin:policies/\(file.path)")
                policies += loaded.policies.map { policy in
                    var policy = policy
                    policy.isBuiltin = true
                    return policy
                }
                errors += loaded.errors
                definitions += loaded.definitions
            }
        }
        // A file reached twice (`--policies p.yaml --policies .`) is read once.
        var read: Set<String> = []
        for path in paths {
            let before = (policies: policies.count, errors: errors.count, bindings: bindings.count)
            let files = policyFiles(at: path, errors: &errors)
            var readBefore = 0
            var kyvernoExceptions: [(name: String?, location: SourceSpan)] = []
            var emptyFiles: [String] = []
            for file in files {
                guard read.insert(identity(of: file)).inserted else {
                    readBefore += 1
                    continue
                }
                switch InputReader.read(file, limit: limit) {
                case .failure(let error):
                    errors.append(Diagnostic(kind: .policy, message: error.message, location: error.location))
                case .success(let input):
                    let loaded = loader.load(input.bytes, file: input.name)
                    policies += loaded.policies
                    errors += LimitedDiagnostics(loaded.errors).all
                    definitions += loaded.definitions
                    kyvernoExceptions += loaded.kyvernoExceptions
                    bindings += loaded.bindings
                    if loaded.definitions.isEmpty, loaded.errors.isEmpty, loaded.kyvernoExceptions.isEmpty,
                       YAMLLoader().load(input.bytes, file: input.name).documents.isEmpty {
                        emptyFiles.append(input.name)
                    }
                }
            }
            // A path that adds no rule and no error would pass every input: say so, and why a
            // Kyverno exception it holds is not applied.
            if policies.count == before.policies, errors.count == before.errors, bindings.count == before.bindings, readBefore == 0 {
                errors.append(noPolicyError(path: path, isFile: files == [.file(path)], kyvernoExceptions: kyvernoExceptions))
            } else {
                notes += emptyFiles.map { "\($0) holds no policy (it is empty, or holds only comments or ---): nothing in it is run" }
                notes += kyvernoExceptions.map { exception in
                    "\(exception.location.file):\(exception.location.line):\(exception.location.column): Kyverno PolicyException \(exception.name.map { $0 + " " } ?? "")is not applied: "
                        + PolicyLoader.unappliedExceptionReason
                }
            }
        }
        // Only the first copy runs: which one a cluster would hold is not known, and two copies
        // running would report each object twice. A copy that has errors of its own counts too,
        // so that one run names every error.
        var seen: [String: SourceSpan] = [:]
        var laterCopies: Set<SourceSpan> = []
        for definition in definitions {
            guard let first = seen[definition.id] else {
                seen[definition.id] = definition.location
                continue
            }
            laterCopies.insert(definition.location)
            errors.append(Diagnostic(
                kind: .policy, message: "policy \(definition.id) is defined twice; this copy is not run", location: definition.location,
                firstDefinition: first))
        }
        policies.removeAll { laterCopies.contains($0.location) }
        let bound = AdmissionPolicyBindings.apply(bindings, to: policies, definitions: Set(seen.keys))
        return (bound.policies, errors + bound.errors, notes + bound.notes)
    }

    /// The error for a policy path that holds no policy: what it holds instead when that is
    /// Kyverno exceptions, which are not applied.
    private static func noPolicyError(path: String, isFile: Bool, kyvernoExceptions: [(name: String?, location: SourceSpan)]) -> Diagnostic {
        guard let first = kyvernoExceptions.first else {
            let what = isFile ? "file holds no policy (it is empty, or only comments)" : "directory holds no policy"
            return Diagnostic(kind: .policy, message: what, location: SourceSpan(file: path, line: 1, column: 1))
        }
        let names = kyvernoExceptions.compactMap(\.name)
        let count = kyvernoExceptions.count
        let what = (count == 1 ? "a Kyverno PolicyException" : "\(count) Kyverno PolicyExceptions")
            + (names.isEmpty ? "" : " (" + names.joined(separator: ", ") + ")")
        return Diagnostic(
            kind: .policy,
            message: "\(isFile ? "file" : "directory") holds no policy, only \(what), which \(count == 1 ? "is" : "are") not applied: " + PolicyLoader.unappliedExceptionReason,
            location: isFile ? first.location : SourceSpan(file: path, line: 1, column: 1))
    }

    /// What tells a policy file from another: its path with symbolic links resolved.
    private static func identity(of file: InputDiscovery.Source) -> String {
        switch file {
        case .file(let path), .namedFile(let path): URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        default: "\(file)"
        }
    }

    /// The files `load` reads as policies for `paths` (a file itself, or the policy files of a folder).
    public static func files(at paths: [String]) -> [String] {
        var errors: [Diagnostic] = []
        return paths.flatMap { policyFiles(at: $0, errors: &errors).map(\.name) }
    }

    private static func policyFiles(at path: String, errors: inout [Diagnostic]) -> [InputDiscovery.Source] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            errors.append(Diagnostic(kind: .policy, message: "no such policy file or directory", location: SourceSpan(file: path, line: 1, column: 1)))
            return []
        }
        guard isDirectory.boolValue else { return [.file(path)] }
        let found = InputDiscovery.manifestFiles(under: path)
        errors += found.errors
        let files = found.sources.filter { file in
            !file.name.split(separator: "/").contains("tests") && !file.name.hasSuffix("/" + Profile.builtinFile)
        }
        if files.isEmpty && found.errors.isEmpty {
            errors.append(Diagnostic(kind: .policy, message: "directory holds no policy file", location: SourceSpan(file: path, line: 1, column: 1)))
        }
        return files
    }
}
