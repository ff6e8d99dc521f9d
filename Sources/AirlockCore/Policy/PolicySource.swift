import Foundation

/// Where policies come from: the pack embedded in the binary and the files given with `--policies`.
public enum PolicySource {
    /// The policy files of the built-in pack (path under policies/, contents).
    public static var builtin: [(path: String, contents: String)] { BuiltinPack.files }

    /// Loads the built-in pack (unless `includeBuiltin` is false) and the policy files under `paths`
    /// (files, or folders searched recursively for `*.yaml`, `*.yml` and `*.json`, as inputs are,
    /// skipping `tests/` folders).
    public static func load(paths: [String], includeBuiltin: Bool) -> (policies: [Policy], errors: [Diagnostic]) {
        var policies: [Policy] = []
        var errors: [Diagnostic] = []
        var definitions: [(id: String, location: SourceSpan)] = []
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
            let before = (policies: policies.count, errors: errors.count)
            let files = policyFiles(at: path, errors: &errors)
            var readBefore = 0
            for file in files {
                guard read.insert(identity(of: file)).inserted else {
                    readBefore += 1
                    continue
                }
                switch InputReader.read(file) {
                case .failure(let error):
                    errors.append(Diagnostic(kind: .policy, message: error.message, location: error.location))
                case .success(let input):
                    let loaded = loader.load(input.bytes, file: input.name)
                    policies += loaded.policies
                    errors += loaded.errors
                    definitions += loaded.definitions
                }
            }
            // A path that adds no rule and no error would pass every input: say so.
            if policies.count == before.policies, errors.count == before.errors, readBefore == 0 {
                let what = files == [.file(path)] ? "file holds no policy (it is empty, or only comments or bindings)" : "directory holds no policy"
                errors.append(Diagnostic(kind: .policy, message: what, location: SourceSpan(file: path, line: 1, column: 1)))
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
        return (policies, errors)
    }

    /// What tells a policy file from another: its path with symbolic links resolved.
    private static func identity(of file: InputDiscovery.Source) -> String {
        switch file {
        case .file(let path), .namedFile(let path): URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        default: "\(file)"
        }
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
