#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import YAMLSource

/// The facts of an air-gap bundle (`airgap-bundle-YYYYMMDD/` as a folder or `.tar.gz`) for policies:
/// manifest, files with digests, images and charts found inside their archives, the image
/// references and values files of its charts and YAML files, models, sidecar and signatures, and
/// hostile-archive issues. Read in one pass; nothing is extracted.
public struct BundleFacts: Sendable {
    /// The path given.
    public var source: String
    public var isArchive: Bool
    /// The bundle folder inside the archive (`""` when the manifest is at the top).
    public var root: String
    /// Path of manifest.yaml as reports show it (`bundle.tar.gz!airgap-bundle-X/manifest.yaml`).
    public var manifestFile: String?
    /// The parsed manifest, positions kept.
    public var manifest: YAMLNode?
    public var manifestKeys: [String]
    public var version: String?
    public var created: String?
    public var tier: String?
    public var declaredImages: [String]
    public var declaredCharts: [String]
    public var declaredModels: [String]
    /// The manifest's `checksum` as written.
    public var checksum: String?
    /// Per-file digests the manifest declares, checked against the files.
    public var declaredDigests: [DeclaredDigestCheck]
    /// Every entry under the root, paths relative to it, content dropped.
    public var files: [ArchiveEntry]
    public var imageArchives: [ImageArchiveFacts]
    public var images: [BundleImage]
    public var charts: [ChartArchiveFacts]
    /// The `dependencies` of the charts' Chart.yaml files, subcharts' included, each with the
    /// subchart Helm installs for it.
    public var chartDependencies: [ChartDependency]
    public var models: [ModelFacts]
    /// Image references written in the charts' values and templates and in the bundle's own YAML
    /// files (manifests, values), templated ones included (`isTemplated`).
    public var referencedImages: [ReferencedImage]
    /// Every values file (`values*.yaml`) of the bundle and its charts.
    public var valuesFiles: [BundleValuesFile]
    /// The tier values files merged as Helm would install them, for the values rules.
    public var tierValues: [BundleTierValues]
    /// The Kubernetes objects of the bundle's manifests (outside its charts, images and models),
    /// which the installer applies as they are: the resource rules check them with the rendered
    /// manifests of the run.
    public var objects: [Resource]
    /// The `.sha256` sidecar beside the tarball compared with the tarball; `nil` when there is none
    /// (or the bundle is a folder).
    public var sidecar: Sha256Sidecar.Check?
    public var signatures: [SignatureFacts]
    /// Hex SHA-256 of the tarball, streamed while reading it.
    public var archiveSHA256: String?
    public var summary: ArchiveReadSummary?
    /// Whether any of it could be read: a missing or unopenable path has only its diagnostic, and
    /// policies are not run on its empty facts (they would report every field as missing).
    public var wasRead: Bool { summary != nil || !files.isEmpty }
    /// Why the bundle policies are not run although the bundle was read: it could not be read
    /// whole, and rules run on part of it would find what the rest holds missing.
    public var notEvaluatedReason: String?
    /// Why what manifest.yaml holds is not known: there is none, or it could not be loaded (two
    /// documents, not YAML, not a mapping). Rules that read it (`manifestFields`) are not run on
    /// this bundle, since on empty manifest facts they would only add noise ("no version", every
    /// file unaccounted for) to that error; the others (hostile entries, sidecar, referenced
    /// images) still are.
    public var manifestProblem: String?
    public var issues: [BundleIssue]
    /// Anything that could not be read: the result cannot be trusted (exit 2).
    public var diagnostics: [Diagnostic]

    init(source: String, isArchive: Bool) {
        self.source = source
        self.isArchive = isArchive
        root = ""
        manifestKeys = []
        declaredImages = []
        declaredCharts = []
        declaredModels = []
        declaredDigests = []
        files = []
        imageArchives = []
        images = []
        charts = []
        chartDependencies = []
        models = []
        referencedImages = []
        valuesFiles = []
        tierValues = []
        objects = []
        signatures = []
        issues = []
        diagnostics = []
    }

    /// Reads the bundle at `path` (folder or tarball).
    public static func read(_ path: String, options: BundleReadOptions = BundleReadOptions()) -> BundleFacts {
        let reader = ArchiveReader(path: path, limits: options.limits)
        var facts = BundleFacts(source: path, isArchive: !reader.isDirectory)
        var imageFacts: [String: ImageArchiveFacts] = [:]
        var chartFacts: [String: ChartArchiveFacts] = [:]

        let listing = ArchiveListing.read(reader) { entry in
            let candidates = BundleRootGuess.candidates(entry.path)
            if candidates.contains("manifest.yaml") { return .whole }
            if candidates.contains("manifest.yaml.sig") { return .prefix(64 << 10) }
            let name = displayName(path, isArchive: !reader.isDirectory, entry.path)
            if candidates.contains(where: ImageArchiveFacts.isImageArchive) {
                return .nested { inner in imageFacts[entry.path] = ImageArchiveFacts.read(inner, archive: entry.path, displayName: name) }
            }
            if candidates.contains(where: ChartArchiveFacts.isChartArchive) {
                return .nested { inner in chartFacts[entry.path] = ChartArchiveFacts.read(inner, archive: entry.path, displayName: name) }
            }
            if entry.type == .file, candidates.contains(where: { BundleYAMLScan.kind(of: $0, inChart: false) != nil }) {
                return .prefix(options.limits.maxInMemoryFileBytes)
            }
            return .digestOnly
        }
        facts.summary = listing.summary
        facts.archiveSHA256 = listing.summary?.sourceSHA256 ?? (facts.isArchive ? wholeFileSHA256(path) : nil)
        facts.diagnostics = listing.diagnostics
        facts.root = listing.root(marker: "manifest.yaml") ?? ""
        facts.issues = listing.readIssues + HostileEntryCheck.issues(in: listing.entries, root: facts.root)
        if let deep = BundleRootGuess.tooDeep(facts.root, marker: "manifest.yaml", source: path) { facts.diagnostics.append(deep) }
        if listing.isComplete && listing.root(marker: "manifest.yaml") == nil {
            // A manifest.yaml that is a link or a folder is not read: say so rather than "none".
            let other = listing.entries.first { ArchivePath.components($0.path).last == "manifest.yaml" }
            let message = other.map { "\($0.path) is a \($0.type.rawValue), not a file: not read, so not an air-gap bundle" } ?? "no manifest.yaml: not an air-gap bundle"
            facts.diagnostics.append(Diagnostic(kind: .input, message: message, location: SourceSpan(file: path, line: 1, column: 1)))
            facts.manifestProblem = "\(path): \(message)"
        }

        var manifestSignature: (file: String, text: String)?
        var manifestDigest: String?
        for entry in listing.entries {
            guard let relative = ArchivePath.relative(entry.path, to: facts.root), !relative.isEmpty else {
                if ArchivePath.relative(entry.path, to: facts.root) == nil,
                   !(entry.type == .directory && ArchivePath.holds(entry.path, root: facts.root)) {
                    facts.issues.append(BundleIssue(kind: .outsideBundleRoot, path: entry.path, detail: "entry outside the bundle folder \"\(facts.root)\""))
                }
                continue
            }
            var file = entry
            file.path = relative
            file.content = nil
            file.contentIsTruncated = false
            facts.files.append(file)
            switch relative {
            case "manifest.yaml":
                manifestDigest = entry.sha256
                facts.loadManifest(entry, displayName: displayName(path, isArchive: facts.isArchive, entry.path))
            case "manifest.yaml.sig":
                manifestSignature = (relative, String(decoding: entry.content ?? [], as: UTF8.self))
            default:
                break
            }
            if var image = imageFacts[entry.path] {
                image.archive = relative
                image.sha256 = entry.sha256
                image.size = entry.size
                facts.diagnostics += image.diagnostics
                facts.imageArchives.append(image)
            }
            if var chart = chartFacts[entry.path] {
                chart.archive = relative
                chart.sha256 = entry.sha256
                chart.size = entry.size
                facts.addChartContents(chart)
                facts.charts.append(chart)
            }
            if entry.type == .file, let kind = BundleYAMLScan.kind(of: relative, inChart: false) {
                facts.scanYAML(entry, relative: relative, kind: kind, decoder: options.decoder)
            }
        }
        // Rules on part of a bundle would find what the rest holds missing: they do not run.
        if !listing.isComplete, facts.notEvaluatedReason == nil {
            facts.notEvaluatedReason = "\(path) could not be read whole"
            facts.diagnostics += listing.issuesBeforeTheReadStopped(facts.issues, path: path)
        }
        facts.tierValues = BundleTierValues.merge(facts.valuesFiles)
        var tierErrors: Set<Diagnostic> = []
        facts.diagnostics += facts.tierValues.compactMap { $0.unknownTierError(bundleTier: facts.tier) }.filter { tierErrors.insert($0).inserted }
        facts.collectImages()
        facts.collectModels()
        facts.checkDeclaredDigests()
        facts.checkSidecar(options: options)
        facts.checkSignatures(options: options, manifestSignature: manifestSignature, manifestDigest: manifestDigest)
        return facts
    }

    /// SHA-256 of a tarball whose streamed read stopped early (truncated, corrupt), so that the
    /// sidecar and a signature are compared with the file as it is, not reported as a mismatch;
    /// `nil` when it is not a regular file (reading a FIFO again could block).
    private static func wholeFileSHA256(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return try? FileDigest.sha256(ofFileAt: path)
    }

    static func displayName(_ source: String, isArchive: Bool, _ entryPath: String) -> String {
        isArchive ? source + "!" + entryPath : (source.hasSuffix("/") ? source + entryPath : source + "/" + entryPath)
    }

    private mutating func loadManifest(_ entry: ArchiveEntry, displayName: String) {
        manifestFile = displayName
        let loaded = EmbeddedYAML.loadManifest(entry.content ?? [], file: displayName, name: "manifest.yaml")
        manifest = loaded.document
        if let diagnostic = loaded.diagnostic { diagnostics.append(diagnostic) }
        guard let root = loaded.mapping else {
            manifestProblem = "\(displayName) could not be loaded" + (loaded.diagnostic.map { ": " + $0.message } ?? "")
            return
        }
        manifestKeys = root.entries.compactMap { $0.key.text }
        version = EmbeddedYAML.text(root["version"])
        created = EmbeddedYAML.text(root["created"])
        tier = EmbeddedYAML.text(root["tier"])
        declaredImages = EmbeddedYAML.texts(root["images"])
        declaredCharts = EmbeddedYAML.texts(root["charts"])
        declaredModels = EmbeddedYAML.texts(root["models"])
        checksum = EmbeddedYAML.text(root["checksum"])
    }

    /// The chart's image references, values files and dependencies, named inside the bundle
    /// (`charts/x.tgz!x/values.yaml`).
    private mutating func addChartContents(_ chart: ChartArchiveFacts) {
        referencedImages += chart.referencedImages.inside(chart.archive)
        valuesFiles += chart.valuesFiles.inside(chart.archive)
        chartDependencies += chart.dependencies.inside(chart.archive)
        diagnostics += chart.diagnostics
    }

    /// Image references and values of a YAML file of the bundle itself. A file not read whole
    /// (over `maxInMemoryFileBytes`) could hide a reference: fail closed.
    private mutating func scanYAML(_ entry: ArchiveEntry, relative: String, kind: BundleYAMLScan.Kind, decoder: ManifestDecoder) {
        let name = Self.displayName(source, isArchive: isArchive, entry.path)
        guard let content = entry.content, !entry.contentIsTruncated else {
            diagnostics.append(Diagnostic(
                kind: .input, message: "not scanned for image references: over the in-memory file limit (--max-bundle-file-bytes)",
                location: SourceSpan(file: name, line: 1, column: 1)))
            return
        }
        let scanned = BundleYAMLScan.scan(content, kind: kind, file: relative, displayName: name, inChart: false, decoder: decoder)
        referencedImages += scanned.images
        diagnostics += scanned.diagnostics
        objects += scanned.objects
        if let root = scanned.values { valuesFiles.append(BundleValuesFile(file: relative, root: root)) }
    }

    private mutating func collectImages() {
        for archive in imageArchives {
            if let error = archive.error {
                issues.append(BundleIssue(kind: .unreadableNestedArchive, path: archive.archive, detail: error))
                if !archive.isReadable { nestedReadFailed(archive.archive, error) }
            }
            var seen: Set<String> = []
            let found = archive.repoTags.map { ($0, "RepoTags") }
                + archive.containerdImageNames.map { ($0, "io.containerd.image.name") }
                + archive.ociRefNames.map { ($0, "org.opencontainers.image.ref.name") }
            for (reference, origin) in found where seen.insert(reference).inserted {
                images.append(BundleImage(reference: reference, archive: archive.archive, origin: origin, digest: archive.descriptorDigests[reference]))
            }
        }
        for chart in charts {
            if let error = chart.error {
                issues.append(BundleIssue(kind: .unreadableNestedArchive, path: chart.archive, detail: error))
                if !chart.isReadable { nestedReadFailed(chart.archive, error) }
            }
        }
    }

    /// A corrupt inner archive leaves the bundle's facts incomplete: fail closed.
    private mutating func nestedReadFailed(_ archive: String, _ error: String) {
        let inner = root.isEmpty ? archive : root + "/" + archive
        diagnostics.append(Diagnostic(
            kind: .input, message: "cannot read nested archive: \(error)",
            location: SourceSpan(file: Self.displayName(source, isArchive: isArchive, inner), line: 1, column: 1)))
    }

    private mutating func collectModels() {
        var byName: [String: ModelFacts] = [:]
        var order: [String] = []
        for file in files {
            let parts = ArchivePath.components(file.path)
            guard parts.count >= 2, parts[0] == "models" else { continue }
            let name = String(parts[1])
            if byName[name] == nil {
                order.append(name)
                byName[name] = ModelFacts(name: name, path: "models/" + name, fileCount: 0, totalBytes: 0)
            }
            if file.type == .file {
                byName[name]?.fileCount += 1
                byName[name]?.totalBytes += file.size
            }
        }
        models = order.compactMap { byName[$0] }
    }

    /// Reads `digests:`, `files:` or `checksums:` (a path-to-digest mapping, or a list of
    /// `{path|name|file, sha256|digest}`) and compares each with the file's streamed digest. What
    /// cannot be read as a path and a SHA-256 (a list of strings, a scalar, `sha512:`, a null
    /// digest) is kept as a declaration with an `error`, never dropped.
    private mutating func checkDeclaredDigests() {
        guard let manifest, let manifestFile else { return }
        let byPath = Dictionary(files.filter { $0.sha256 != nil }.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        // A link binds nothing: its bytes are its target's, whatever a hardlink entry carries.
        let links = Dictionary(files.filter { $0.type == .hardlink || $0.type == .symlink }.map { ($0.path, $0.type) }, uniquingKeysWith: { first, _ in first })
        func declare(_ path: String?, _ digest: YAMLNode?, at node: YAMLNode, error: String? = nil) {
            let path = path ?? ""
            let file = ArchivePath.normalise(path)
            let actual = byPath[file]?.sha256
            var expected = (EmbeddedYAML.text(digest) ?? "").lowercased()
            if expected.hasPrefix("sha256:") { expected.removeFirst(7) }
            var error = error
            if error == nil, let digest, let shape = EmbeddedYAML.shape(ofNonText: digest) {
                error = "the digest of \(path) is \(shape), not sha256:<64 hex digits>"
            } else if error == nil, HexSHA256Digest(hex: expected) == nil {
                error = "the digest of \(path) is not a SHA-256 (sha256:<64 hex digits>): \(EmbeddedYAML.text(digest) ?? "")"
            } else if error == nil, let link = links[file] {
                error = "\(path) is a \(link.rawValue): a digest binds a file's bytes, not a link (a bundle with links needs a signature of the tarball)"
            }
            declaredDigests.append(DeclaredDigestCheck(
                path: path, file: file, expected: expected, actual: actual, match: error == nil && actual == expected, error: error,
                location: SourceSpan(file: manifestFile, line: node.line, column: node.column)))
        }
        for key in ["digests", "files", "checksums"] {
            guard let node = manifest[key] else { continue }
            switch node.kind {
            case .mapping:
                for (keyNode, value) in node.entries { declare(EmbeddedYAML.text(keyNode), value, at: value) }
            case .sequence:
                for item in node.items {
                    guard item.kind == .mapping else {
                        declare(nil, nil, at: item, error: "an item of \(key) is \(EmbeddedYAML.shape(ofNonText: item) ?? "a string"), not a mapping {path, sha256}")
                        continue
                    }
                    let path = EmbeddedYAML.text(item["path"]) ?? EmbeddedYAML.text(item["name"]) ?? EmbeddedYAML.text(item["file"])
                    guard let path else {
                        declare(nil, nil, at: item, error: "an item of \(key) has no path (path, name or file)")
                        continue
                    }
                    guard let digest = item["sha256"] ?? item["digest"] else {
                        let keys = item.entries.compactMap { $0.key.text }.joined(separator: ", ")
                        declare(path, nil, at: item, error: "the \(key) item for \(path) has no sha256 (or digest) key, only: \(keys)")
                        continue
                    }
                    declare(path, digest, at: item)
                }
            case .scalar:
                declare(nil, nil, at: node, error: "\(key) is \(EmbeddedYAML.shape(ofNonText: node) ?? "a string"), not a mapping of path to sha256 or a list of {path, sha256}")
            }
        }
    }

    private mutating func checkSidecar(options: BundleReadOptions) {
        guard isArchive else { return }
        let sidecarPath = source + ".sha256"
        guard access(sidecarPath, F_OK) == 0 else { return }
        do {
            let bytes = try FileDigest.readSmallFile(sidecarPath, limit: 1 << 20)
            let (parsed, errors) = Sha256Sidecar.parse(String(decoding: bytes, as: UTF8.self), file: sidecarPath)
            diagnostics += errors
            sidecar = parsed.check(fileName: source, actual: archiveSHA256)
        } catch {
            diagnostics.append(ArchiveListing.diagnostic(for: error, archive: sidecarPath))
        }
    }

    private mutating func checkSignatures(options: BundleReadOptions, manifestSignature: (file: String, text: String)?, manifestDigest: String?) {
        var verifier: CosignBlobSignature?
        if let pem = options.publicKeyPEM {
            do {
                verifier = try CosignBlobSignature(publicKeyPEM: pem)
            } catch {
                diagnostics.append(Diagnostic(
                    kind: .configuration,
                    message: "the public key is not a PEM-encoded ECDSA P-256 public key (-----BEGIN PUBLIC KEY-----, as cosign generate-key-pair writes it)",
                    location: options.publicKeyFile.map { SourceSpan(file: $0, line: 1, column: 1) }))
            }
        }
        // A key given that cannot verify anything (an error of its own) leaves each signature unverified.
        let unverified = verifier == nil && options.publicKeyPEM != nil
            ? CosignBlobSignature.Result(status: .invalid, detail: "not verified: the key given is no ECDSA P-256 public key") : nil
        if isArchive {
            let sigPath = source + ".sig"
            if access(sigPath, F_OK) == 0 {
                do {
                    let text = String(decoding: try FileDigest.readSmallFile(sigPath, limit: 64 << 10), as: UTF8.self)
                    let result = archiveSHA256.flatMap { digest in verifier?.verify(signatureText: text, blobSHA256Hex: digest) } ?? unverified
                    signatures.append(SignatureFacts(subject: .tarball, file: sigPath, status: result?.status, detail: result?.detail))
                } catch {
                    diagnostics.append(ArchiveListing.diagnostic(for: error, archive: sigPath))
                }
            }
        }
        if let manifestSignature {
            let result = manifestDigest.flatMap { digest in verifier?.verify(signatureText: manifestSignature.text, blobSHA256Hex: digest) } ?? unverified
            let bound = Set(declaredDigests.filter(\.match).map(\.file))
            let unbound = files.filter { entry in
                entry.type != .directory && !["manifest.yaml", "manifest.yaml.sig"].contains(entry.path) && (entry.type != .file || !bound.contains(entry.path))
            }
            signatures.append(SignatureFacts(
                subject: .manifest, file: manifestSignature.file, status: result?.status, detail: result?.detail, unbound: unbound.map(\.path)))
        }
    }

    /// Status of the first signature, or `missing` — what a policy asks first.
    public var signatureStatus: CosignBlobSignature.Status? {
        signatures.isEmpty ? .missing : signatures.first?.status
    }
}
