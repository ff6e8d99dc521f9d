import Crypto
import Foundation
import XCTest
@testable import AirlockCore

final class BundleFactsTests: XCTestCase {
    private func goodEntries() throws -> [TestEntry] {
        try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-good"))
    }

    /// Writes the tarball, its sidecar and a signature made with `key`.
    private func writeBundle(_ entries: [TestEntry], in folder: TemporaryFolder, compression: TestArchiveWriter.Compression = .gzip,
                             key: P256.Signing.PrivateKey? = nil, name: String = "airgap-bundle-20250101.tar.gz") throws -> String {
        let bytes = TestArchiveWriter.tar(entries, compression: compression)
        let path = try folder.write(bytes, to: name)
        _ = try folder.write(Array("\(FileDigest.sha256(of: bytes))  \(name)\n".utf8), to: name + ".sha256")
        if let key {
            _ = try folder.write(Array(try key.signature(for: bytes).derRepresentation.base64EncodedString().utf8), to: name + ".sig")
        }
        return path
    }

    func testGoodTarballFacts() throws {
        let folder = try TemporaryFolder()
        let key = P256.Signing.PrivateKey()
        let path = try writeBundle(try goodEntries(), in: folder, key: key)
        let facts = BundleFacts.read(path, options: BundleReadOptions(publicKeyPEM: key.publicKey.pemRepresentation))

        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(facts.issues, [])
        XCTAssertEqual(facts.root, "airgap-bundle-20250101")
        XCTAssertEqual(facts.manifestFile, path + "!airgap-bundle-20250101/manifest.yaml")
        XCTAssertEqual(facts.manifestKeys, ["version", "created", "tier", "images", "charts", "models", "checksum", "digests"])
        XCTAssertEqual(facts.version, "1.2.0")
        XCTAssertEqual(facts.tier, "edge")
        XCTAssertEqual(facts.created, "2025-01-01T06:00:00Z")
        XCTAssertEqual(facts.declaredImages, ["ai-platform/inference:v1.2.0", "postgres:15"])
        XCTAssertEqual(facts.declaredCharts, ["ai-platform-1.2.0.tgz"])
        XCTAssertEqual(facts.declaredModels, ["mistral-7b-instruct-v0.2"])
        XCTAssertEqual(facts.manifest?["tier"]?.line, 3, "positions survive")

        XCTAssertEqual(facts.images.map(\.reference), [
            "ai-platform/inference:v1.2.0", "docker.io/library/postgres:15", "15",
        ])
        XCTAssertEqual(facts.images.map(\.archive), [
            "images/ai-platform-inference-v1.2.0.tar.gz", "images/postgres-15.tar", "images/postgres-15.tar",
        ])
        let postgres = "sha256:f4028c02018576822f66d71ab9c7264531e107547e9a951a9a4f111652c90ca6"
        XCTAssertEqual(facts.images.map(\.digest), [nil, postgres, postgres], "index.json records the manifest digest, RepoTags none")
        XCTAssertEqual(facts.imageArchives.map(\.layout), [.dockerSave, .oci])
        XCTAssertNotNil(facts.imageArchives.first?.sha256)

        XCTAssertEqual(facts.charts.count, 1)
        XCTAssertEqual(facts.charts.first?.archive, "charts/ai-platform-1.2.0.tgz")
        XCTAssertEqual(facts.charts.first?.name, "ai-platform")
        XCTAssertEqual(facts.charts.first?.version, "1.2.0")
        XCTAssertEqual(facts.charts.first?.appVersion, "1.2.0")
        XCTAssertEqual(facts.chartDependencies.map(\.name), ["postgresql"])
        XCTAssertEqual(facts.chartDependencies.map(\.subchart), ["ai-platform/charts/postgresql-15.5.0.tgz"])
        XCTAssertEqual(facts.chartDependencies.map(\.file), ["charts/ai-platform-1.2.0.tgz!ai-platform/Chart.yaml"])
        XCTAssertEqual(facts.chartDependencies.first?.location.line, 8)
        XCTAssertEqual(facts.charts.first?.chartFile, "ai-platform/Chart.yaml")

        XCTAssertEqual(facts.models, [ModelFacts(name: "mistral-7b-instruct-v0.2", path: "models/mistral-7b-instruct-v0.2", fileCount: 2, totalBytes: 96)])
        XCTAssertEqual(facts.declaredDigests.map(\.match), [true])
        XCTAssertEqual(facts.declaredDigests.first?.location.line, 13)

        XCTAssertEqual(facts.sidecar?.match, true)
        XCTAssertEqual(facts.sidecar?.actual, facts.archiveSHA256)
        XCTAssertEqual(facts.signatures.map(\.subject), [.tarball])
        XCTAssertEqual(facts.signatureStatus, .verified)
        XCTAssertTrue(facts.files.contains { $0.path == "docs/operations.md" && $0.sha256 != nil })
    }

    func testZstdTarballAndFolderGiveTheSameFacts() throws {
        let folder = try TemporaryFolder()
        let entries = try goodEntries()
        let zstd = BundleFacts.read(try writeBundle(entries, in: folder, compression: .zstd, name: "b.tar.zst"))
        let plain = folder.url.appendingPathComponent("plain")
        try TestArchiveWriter.writeFolder(entries, to: plain)
        let fromFolder = BundleFacts.read(plain.path)
        for facts in [zstd, fromFolder] {
            XCTAssertEqual(facts.diagnostics, [])
            XCTAssertEqual(facts.issues, [])
            XCTAssertEqual(facts.images.count, 3)
            XCTAssertEqual(facts.charts.first?.name, "ai-platform")
        }
        XCTAssertEqual(Set(zstd.files.map(\.path)), Set(fromFolder.files.map(\.path)))
        XCTAssertEqual(Set(zstd.files.map(\.sha256)), Set(fromFolder.files.map(\.sha256)))
        XCTAssertNil(fromFolder.sidecar)
        XCTAssertEqual(fromFolder.signatureStatus, .missing)
        XCTAssertEqual(fromFolder.manifestFile, plain.path + "/airgap-bundle-20250101/manifest.yaml")
    }

    /// A manifest.yaml that is a link is not followed; the error says so rather than "no manifest".
    func testAManifestThatIsALinkIsNamedAsOne() throws {
        let folder = try TemporaryFolder()
        let path = try writeBundle([.file("b/real.yaml", "version: 1.0.0\n"), .symlink("b/manifest.yaml", to: "real.yaml")], in: folder)
        XCTAssertEqual(BundleFacts.read(path).diagnostics.map(\.message), ["b/manifest.yaml is a symlink, not a file: not read, so not an air-gap bundle"])
    }

    /// A bundle folder two levels down is an error: its archives were read as plain files.
    func testABundleMoreThanOneFolderDownIsAnError() throws {
        let folder = try TemporaryFolder()
        let path = try writeBundle([.file("release/b/manifest.yaml", "version: 1.0.0\n")], in: folder)
        XCTAssertEqual(BundleFacts.read(path).diagnostics.map(\.message), [
            "manifest.yaml is at release/b/manifest.yaml, more than one folder down, where its images and charts are not opened: put its folder at the top of the archive, or give that folder itself",
        ])
    }

    func testTamperedTarballFailsSidecarAndSignature() throws {
        let folder = try TemporaryFolder()
        let key = P256.Signing.PrivateKey()
        let path = try writeBundle(try goodEntries(), in: folder, key: key)
        let tampered = TestArchiveWriter.tar(try goodEntries() + [.file("airgap-bundle-20250101/docs/extra.md", "# Extra\n")], compression: .gzip)
        try Data(tampered).write(to: URL(fileURLWithPath: path))
        let facts = BundleFacts.read(path, options: BundleReadOptions(publicKeyPEM: key.publicKey.pemRepresentation))
        XCTAssertEqual(facts.sidecar?.match, false)
        XCTAssertEqual(facts.sidecar?.actual, FileDigest.sha256(of: tampered))
        XCTAssertEqual(facts.signatureStatus, .invalid)
    }

    func testTruncatedTarballIsStillComparedWithItsSidecar() throws {
        let folder = try TemporaryFolder()
        let whole = TestArchiveWriter.tar(try goodEntries(), compression: .none)
        let truncated = Array(whole.prefix(whole.count / 2))
        let path = try folder.write(truncated, to: "b.tar")
        _ = try folder.write(Array("\(FileDigest.sha256(of: truncated))  b.tar\n".utf8), to: "b.tar.sha256")
        let facts = BundleFacts.read(path)
        XCTAssertEqual(facts.diagnostics.count, 1, "the truncation is the error")
        XCTAssertEqual(facts.archiveSHA256, FileDigest.sha256(of: truncated))
        XCTAssertEqual(facts.sidecar?.actual, FileDigest.sha256(of: truncated))
        XCTAssertEqual(facts.sidecar?.match, true, "a truncated file that matches its sidecar is not a sidecar mismatch")
    }

    func testDigestDeclarationsOfTheWrongShapeAreKeptWithAnError() throws {
        let facts = BundleFacts.read(TestData.bundles.appendingPathComponent("airgap-shapes").path)
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(facts.declaredDigests.map(\.error), [
            "an item of files is a string, not a mapping {path, sha256}",
            "the files item for docs/notes.md has no sha256 (or digest) key, only: path, sha512",
            "the digest of docs/notes.md is null, not sha256:<64 hex digits>",
            "the digest of docs/notes.md is a list, not sha256:<64 hex digits>",
            "checksums is a string, not a mapping of path to sha256 or a list of {path, sha256}",
        ])
        XCTAssertEqual(facts.declaredDigests.map(\.location.line), [11, 12, 14, 16, 18])
        XCTAssertEqual(facts.declaredDigests.map(\.match), [false, false, false, false, false])
    }

    func testDigestThatIsNotASHA256IsAnError() throws {
        let folder = try TemporaryFolder()
        var entries = try goodEntries()
        let index = try XCTUnwrap(entries.firstIndex { $0.path == "airgap-bundle-20250101/manifest.yaml" })
        entries[index] = .file(entries[index].path, "version: 1.2.0\ndigests:\n  docs/operations.md: sha512:abc\n")
        let facts = BundleFacts.read(try writeBundle(entries, in: folder))
        XCTAssertEqual(facts.declaredDigests.map(\.error), ["the digest of docs/operations.md is not a SHA-256 (sha256:<64 hex digits>): sha512:abc"])
    }

    func testSignatureFoundButNotCheckedWithoutKey() throws {
        let folder = try TemporaryFolder()
        let path = try writeBundle(try goodEntries(), in: folder, key: P256.Signing.PrivateKey())
        let facts = BundleFacts.read(path)
        XCTAssertEqual(facts.signatures.count, 1)
        XCTAssertNil(facts.signatureStatus)
    }

    /// A manifest digest naming a hardlink binds nothing, even when the link carries the bytes the
    /// digest names: tar -x writes the target's bytes there.
    func testDigestOfAHardlinkNeverMatches() throws {
        let folder = try TemporaryFolder()
        let reviewed = "reviewed weights"
        let manifest = "version: 1.2.0\ndigests:\n  models/m/w.bin: sha256:\(FileDigest.sha256(of: Array(reviewed.utf8)))\n"
        let bytes = RawTarWriter.pax([("comment", "pax: hardlinks may carry data")])
            + RawTarWriter.file("airgap-bundle-20250101/manifest.yaml", manifest)
            + RawTarWriter.file("airgap-bundle-20250101/docs/appendix.bin", "BACKDOORED")
            + RawTarWriter.entry("airgap-bundle-20250101/models/m/w.bin", type: "1", data: Array(reviewed.utf8),
                                 linkName: "airgap-bundle-20250101/docs/appendix.bin")
            + RawTarWriter.end
        let facts = BundleFacts.read(try folder.write(bytes, to: "airgap-bundle-20250101.tar"))
        XCTAssertEqual(facts.declaredDigests.map(\.match), [false])
        XCTAssertEqual(facts.declaredDigests.first?.error,
                       "models/m/w.bin is a hardlink: a digest binds a file's bytes, not a link (a bundle with links needs a signature of the tarball)")
        XCTAssertTrue(facts.issues.contains { $0.kind == .hardlinkWithData })
    }

    func testBrokenBundleFacts() throws {
        let folder = try TemporaryFolder()
        let entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-broken"))
        let facts = BundleFacts.read(try writeBundle(entries, in: folder, name: "airgap-bundle-20250102.tar.gz"))
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(facts.issues.map(\.kind), [.unreadableNestedArchive, .unreadableNestedArchive])
        XCTAssertEqual(facts.issues.map(\.path), ["images/broken.tar.gz", "charts/empty-0.1.0.tgz"])
        XCTAssertEqual(facts.images, [])
        XCTAssertEqual(facts.declaredDigests.map(\.path), ["docs/notes.md", "docs/missing.md"])
        XCTAssertEqual(facts.declaredDigests.map(\.match), [false, false])
        XCTAssertNotNil(facts.declaredDigests[0].actual)
        XCTAssertNil(facts.declaredDigests[1].actual)
        XCTAssertEqual(facts.sidecar?.match, true)
    }

    func testHostileEntriesInABundle() throws {
        let folder = try TemporaryFolder()
        let entries = try goodEntries() + [
            .file("airgap-bundle-20250101/../evil.sh", "x", mode: 0o4755),
            .symlink("airgap-bundle-20250101/docs/passwd", to: "/etc/passwd"),
            .file("stray.txt", "outside"),
        ]
        let facts = BundleFacts.read(try writeBundle(entries, in: folder))
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(Set(facts.issues.map(\.kind)), [.pathTraversal, .setuid, .linkOutsideRoot, .outsideBundleRoot])
        XCTAssertTrue(facts.issues.contains { $0.kind == .outsideBundleRoot && $0.path == "stray.txt" })
    }

    /// `tar -czf b.tgz -C dir .` lists `./` and names every entry `./...`: the folders that hold
    /// the bundle's are on the way to it, not outside it; a folder beside it still is.
    func testFoldersHoldingTheBundleFolderAreNotOutsideIt() throws {
        let folder = try TemporaryFolder()
        let dotted: [TestEntry] = try goodEntries().map { entry in
            var dotted = entry
            dotted.path = "./" + entry.path
            return dotted
        }
        let entries: [TestEntry] = [.directory("./")] + dotted + [.directory("./elsewhere/")]
        let facts = BundleFacts.read(try writeBundle(entries, in: folder))
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(facts.root, "airgap-bundle-20250101")
        XCTAssertEqual(facts.issues.map(\.kind), [.outsideBundleRoot])
        XCTAssertEqual(facts.issues.map(\.path), ["elsewhere"])
        XCTAssertTrue(ArchivePath.holds("", root: "a/b"))
        XCTAssertTrue(ArchivePath.holds("a", root: "a/b"))
        XCTAssertFalse(ArchivePath.holds("a/b", root: "a/b"))
        XCTAssertFalse(ArchivePath.holds("ab", root: "abc/d"))
        XCTAssertFalse(ArchivePath.holds("", root: ""))
    }

    func testBundleLimitIsADiagnosticAndAnIssue() throws {
        let folder = try TemporaryFolder()
        var options = BundleReadOptions()
        options.limits.maxEntries = 7
        let facts = BundleFacts.read(try writeBundle(try goodEntries(), in: folder), options: options)
        XCTAssertEqual(facts.diagnostics.count, 1, "the bundle's limit, not its chart's (7 entries)")
        XCTAssertTrue(facts.issues.contains { $0.kind == .limitExceeded })
        // Rules on part of it would find the rest missing: they do not run.
        XCTAssertEqual(facts.notEvaluatedReason, facts.source + " could not be read whole")
    }

    /// `docker load` unpacks an image archive: an entry that leaves it is an error of the image.
    func testHostileEntriesOfAnImageArchive() throws {
        let folder = try TemporaryFolder()
        let image = TestArchiveWriter.tar([
            .file("manifest.json", #"[{"Config":"c.json","RepoTags":["app:1"],"Layers":["l/layer.tar"]}]"#),
            .file("c.json", "{}"), .file("l/layer.tar", "x"), .file("../../etc/cron.d/x", "x"),
        ], compression: .gzip)
        let facts = BundleFacts.read(try writeBundle(try goodEntries() + [.file("airgap-bundle-20250101/images/app.tar.gz", bytes: image)], in: folder))
        let error = facts.imageArchives.first { $0.archive == "images/app.tar.gz" }?.error
        XCTAssertTrue(error?.hasPrefix("hostile entries: path-traversal ../../etc/cron.d/x") == true, error ?? "no error")
    }

    func testCorruptImageArchiveInsideTheBundle() throws {
        let folder = try TemporaryFolder()
        var corrupt = TestArchiveWriter.tar([.file("manifest.json", "[]")], compression: .gzip)
        corrupt.removeLast(10)
        let entries = try goodEntries() + [.file("airgap-bundle-20250101/images/corrupt.tar.gz", bytes: corrupt)]
        let facts = BundleFacts.read(try writeBundle(entries, in: folder))
        XCTAssertEqual(facts.diagnostics.map { $0.location?.file }, [facts.source + "!airgap-bundle-20250101/images/corrupt.tar.gz"])
        XCTAssertEqual(facts.issues.map(\.path), ["images/corrupt.tar.gz"])
        XCTAssertEqual(facts.issues.map(\.kind), [.unreadableNestedArchive])
        XCTAssertEqual(facts.imageArchives.last?.isReadable, false)
        XCTAssertEqual(facts.images.count, 3, "the other images are still found")
    }

    /// `docker load` cannot read an image whose manifest.json or index.json is not JSON: that is
    /// an error at the place inside the file, not a finding about the image archive.
    func testAnImageArchiveWhoseManifestIsNotJSONIsAnErrorAtItsPlace() throws {
        let folder = try TemporaryFolder()
        let dockerSave = TestArchiveWriter.tar([.file("manifest.json", "[\n  {\n    \"Config\": [}\n]\n")], compression: .gzip)
        let oci = TestArchiveWriter.tar([.file("oci-layout", #"{"imageLayoutVersion":"1.0.0"}"#), .file("index.json", "{\"manifests\": [\n")])
        let entries = try goodEntries() + [
            .file("airgap-bundle-20250101/images/app.tar.gz", bytes: dockerSave),
            .file("airgap-bundle-20250101/images/db.tar", bytes: oci),
        ]
        let facts = BundleFacts.read(try writeBundle(entries, in: folder))
        XCTAssertEqual(facts.diagnostics.map(\.description), [
            facts.source + "!airgap-bundle-20250101/images/app.tar.gz!manifest.json:3:16: malformed JSON: while parsing a flow node, did not find expected node content",
            facts.source + "!airgap-bundle-20250101/images/db.tar!index.json:2:1: malformed JSON: while parsing a flow node, did not find expected node content",
        ])
        XCTAssertEqual(facts.issues, [])
        XCTAssertEqual(facts.imageArchives.compactMap(\.error), [])
    }

    /// Facts of the chart archive `charts/x-1.0.0.tgz` made of `entries`, added to the good bundle.
    private func chartFacts(_ entries: [TestEntry], expectingDiagnostics: Bool = false) throws -> ChartArchiveFacts? {
        let folder = try TemporaryFolder()
        let chart = TestArchiveWriter.tar(entries, compression: .gzip)
        let facts = BundleFacts.read(try writeBundle(try goodEntries() + [.file("airgap-bundle-20250101/charts/x-1.0.0.tgz", bytes: chart)], in: folder))
        if !expectingDiagnostics { XCTAssertEqual(facts.diagnostics, [], "an ambiguous chart is readable: an issue, not a read error") }
        return facts.charts.first { $0.archive == "charts/x-1.0.0.tgz" }
    }

    /// Helm's loader reads a chart archive through gzip alone: a plain tar or another compression
    /// is a chart it cannot load; a subchart that cannot be read leaves its chart unread.
    func testAChartArchiveHelmCannotLoadIsAnError() throws {
        let entries: [TestEntry] = [.file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n")]
        for (compression, found) in [(TestArchiveBuilder.Compression.none, "an uncompressed tar"), (.zstd, "compressed with zstd")] {
            let folder = try TemporaryFolder()
            let chart = TestArchiveWriter.tar(entries, compression: compression)
            let facts = BundleFacts.read(try writeBundle(try goodEntries() + [.file("airgap-bundle-20250101/charts/x-1.0.0.tgz", bytes: chart)], in: folder))
            XCTAssertEqual(facts.charts.first { $0.archive == "charts/x-1.0.0.tgz" }?.error, "the chart archive is \(found): Helm loads only gzip-compressed charts")
        }
        let truncated = Array(TestArchiveWriter.tar([.file("db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n")], compression: .gzip).dropLast(12))
        let withSubchart = try chartFacts(entries + [.file("x/charts/db-1.0.0.tgz", bytes: truncated)], expectingDiagnostics: true)
        XCTAssertEqual(withSubchart?.isReadable, false)
        XCTAssertTrue(withSubchart?.error?.hasPrefix("subchart x/charts/db-1.0.0.tgz: ") == true, withSubchart?.error ?? "no error")
    }

    /// A chart entry named by a GNU long name and a pax path is values.yaml to Helm (Go) and
    /// NOTES.txt to libarchive: the chart is an error, as Helm would install what was not checked.
    func testAChartEntryTarReadersNameDifferentlyIsAnError() throws {
        let folder = try TemporaryFolder()
        let chart = RawTarWriter.file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n")
            + RawTarWriter.pax([("path", "x/templates/NOTES.txt")])
            + RawTarWriter.entry("././@LongLink", type: "L", data: Array("x/values.yaml".utf8) + [0])
            + RawTarWriter.file("x/NOTES.txt", "image: docker.io/attacker/miner:latest\n") + RawTarWriter.end
        let facts = BundleFacts.read(try writeBundle(
            try goodEntries() + [.file("airgap-bundle-20250101/charts/x-1.0.0.tgz", bytes: try TestArchiveWriter.gzip(chart))], in: folder))
        XCTAssertEqual(facts.charts.first { $0.archive == "charts/x-1.0.0.tgz" }?.error,
                       "tar readers unpack this chart differently: x/templates/NOTES.txt: its name is given twice, by a GNU L header and a pax path record: "
                       + "libarchive (airlock) and GNU tar use the pax one, Go's archive/tar (Helm, docker load) the GNU one")
        XCTAssertTrue(facts.issues.contains { $0.kind == .unreadableNestedArchive && $0.path == "charts/x-1.0.0.tgz" })
    }

    func testChartArchiveWithASecondTopFolderIsAnError() throws {
        let chart = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n"),
            .file("zzz/Chart.yaml", "apiVersion: v2\nname: evil\nversion: 6.6.6\n"),
        ])
        XCTAssertNil(chart?.name)
        XCTAssertEqual(chart?.error, "entries under more than one top folder (x, zzz): Helm drops the first path component of every entry, so which chart it installs is ambiguous")
    }

    func testChartArchiveWithTwoChartFilesAtItsRootIsAnError() throws {
        let chart = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n"),
            .file("x/./Chart.yaml", "apiVersion: v2\nname: evil\nversion: 6.6.6\n"),
        ])
        XCTAssertNil(chart?.name)
        XCTAssertEqual(chart?.error, "2 Chart.yaml at the chart's root (x/Chart.yaml, x/Chart.yaml): Helm installs the last one")
    }

    /// Helm's loader splits a name holding `\` on `\` and cleans `..`: these entries are
    /// Chart.yaml, values.yaml and a template to Helm, so they are an error naming the entry, and
    /// their content is scanned as what Helm reads them as.
    func testChartEntriesHelmRenamesAreErrorsAndReadUnderTheHelmName() throws {
        let chartFile = "apiVersion: v2\nname: x\nversion: 1.0.0\n"
        let evil = "apiVersion: v2\nname: evil\nversion: 6.6.6\n"
        let cases: [(TestEntry, String)] = [
            (.file("x/templates/../Chart.yaml", evil), "x/templates/../Chart.yaml as Chart.yaml"),
            (.file("x/y\\Chart.yaml", evil), "x/y\\Chart.yaml as Chart.yaml"),
            (.file("x/y\\values.yaml", "image: evil.example.com/exfil:1.0\n"), "x/y\\values.yaml as values.yaml"),
            (.file("x/y\\templates\\exfil.yaml", "containers:\n  - image: evil.example.com/exfil:1.0\n"), "x/y\\templates\\exfil.yaml as templates/exfil.yaml"),
            (.file("./x/values.yaml", "a: 1\n"), "./x/values.yaml as x/values.yaml"),
        ]
        for (entry, renamed) in cases {
            let chart = try chartFacts([.file("x/Chart.yaml", chartFile), entry])
            XCTAssertNil(chart?.name, renamed)
            XCTAssertEqual(chart?.error, "entries Helm reads under another name than their path: \(renamed); Helm installs their content under that name")
        }
        let values = try chartFacts([.file("x/Chart.yaml", chartFile), cases[2].0])
        XCTAssertEqual(values?.referencedImages.map(\.reference), ["evil.example.com/exfil:1.0"], "read as Helm's values.yaml")
        XCTAssertEqual(values?.referencedImages.map(\.source), [.chartValues])
        let template = try chartFacts([.file("x/Chart.yaml", chartFile), cases[3].0])
        XCTAssertEqual(template?.referencedImages.map(\.source), [.chartTemplate], "read as Helm's template")
    }

    func testChartEntriesHelmRefusesOrReadsTwiceAreErrors() throws {
        let chartFile = "apiVersion: v2\nname: x\nversion: 1.0.0\n"
        let twice = try chartFacts([.file("x/Chart.yaml", chartFile), .file("x/values.yaml", "a: 1\n"), .file("x/./values.yaml", "a: 2\n")])
        XCTAssertEqual(twice?.error, "more than one entry Helm names values.yaml (x/values.yaml, x/./values.yaml): Helm keeps the last one")
        let parent = try chartFacts([.file("x/Chart.yaml", chartFile), .file("x/../../etc.yaml", "a: 1\n")])
        XCTAssertEqual(parent?.error, "Helm refuses to load this chart: x/../../etc.yaml (Helm refuses a chart referencing its parent folder)")
        XCTAssertEqual(HelmArchiveName.of("x/a\\..\\..\\b"), .refused("Helm refuses a chart referencing its parent folder"))
        XCTAssertEqual(HelmArchiveName.of("x\\c:/evil"), .refused("Helm refuses a chart holding a drive path"))
        XCTAssertEqual(HelmArchiveName.of("x/templates/a/../b.yaml"), .name(top: "x", name: "templates/b.yaml"))
    }

    /// `helm dependency build` packs dependencies into `charts/`: Helm installs them with the
    /// chart, so their images are read; one nested deeper than the limit is an error, not a skip.
    func testSubchartsPackedInAChartAreRead() throws {
        let subsubchart = TestArchiveWriter.tar([
            .file("cache/Chart.yaml", "apiVersion: v2\nname: cache\nversion: 1.0.0\n"),
        ], compression: .gzip)
        let subchart = TestArchiveWriter.tar([
            .file("db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n"),
            .file("db/values.yaml", "image: docker.io/evil/db:1.0\n"),
            .file("db/charts/cache-1.0.0.tgz", bytes: subsubchart),
        ], compression: .gzip)
        let chart = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n"),
            .file("x/charts/db-1.0.0.tgz", bytes: subchart),
        ], expectingDiagnostics: true)
        XCTAssertEqual(chart?.name, "x")
        XCTAssertNil(chart?.error)
        XCTAssertEqual(chart?.referencedImages.map(\.reference), ["docker.io/evil/db:1.0"])
        XCTAssertEqual(chart?.referencedImages.map(\.file), ["x/charts/db-1.0.0.tgz!db/values.yaml"])
        XCTAssertEqual(chart?.diagnostics.map(\.message), [
            "subchart not opened: archives nest deeper than the limit of 2, so its images and templates are not checked",
        ])
    }

    /// Helm finds a dependency's subchart by the name in the subchart's own Chart.yaml and the
    /// version range, packed or as a folder, whatever its file is called (not by the file's name);
    /// not under a name starting with `_`, which it skips. A subchart's own dependencies are its.
    func testChartDependenciesAreMatchedAsHelmMatchesThem() throws {
        func chart(_ name: String, _ version: String, _ extra: String = "") -> [UInt8] {
            TestArchiveWriter.tar([.file("\(name)/Chart.yaml", "apiVersion: v2\nname: \(name)\nversion: \(version)\n" + extra)], compression: .gzip)
        }
        let queue = TestArchiveWriter.tar([
            .file("queue/Chart.yaml", "apiVersion: v2\nname: queue\nversion: 3.0.0\ndependencies:\n  - name: common\n    version: 1.x\n"),
            .file("queue/charts/common-1.0.0.tgz", bytes: chart("common", "1.0.0")),
        ], compression: .gzip)
        let chartFile = """
            apiVersion: v2
            name: x
            version: 1.0.0
            dependencies:
              - name: db
                alias: primary
                version: ">=1.0.0, <2.0.0"
                condition: primary.enabled
              - {name: db, alias: replica, version: 1.x}
              - {name: web}
              - {name: cache, version: 1.0.0}
              - {name: queue, version: ^2.0.0}
              - {name: search, version: "!=1.0.0"}
              - {name: database}
              - just-a-string
              - {name: ui, version: [1]}

            """
        let facts = try chartFacts([
            .file("x/Chart.yaml", chartFile),
            .file("x/charts/database.tgz", bytes: chart("db", "1.2.0")),
            .file("x/charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n"),
            .file("x/charts/_cache-1.0.0.tgz", bytes: chart("cache", "1.0.0")),
            .file("x/charts/queue-3.0.0.tgz", bytes: queue),
        ], expectingDiagnostics: true)
        let dependencies = facts?.dependencies ?? []
        XCTAssertEqual(dependencies.map(\.name), ["db", "db", "web", "cache", "queue", "search", "database", nil, "ui", "common"])
        XCTAssertEqual(dependencies.map(\.alias), ["primary", "replica", nil, nil, nil, nil, nil, nil, nil, nil])
        XCTAssertEqual(dependencies.map(\.subchart), ["x/charts/database.tgz", "x/charts/database.tgz", "x/charts/web", nil, nil, nil, nil, nil, nil, nil])
        XCTAssertEqual(dependencies.map(\.versionsFound), [["1.2.0"], ["1.2.0"], ["0.1.0"], [], ["3.0.0"], [], [], [], [], []])
        XCTAssertEqual(dependencies.map(\.error), [
            nil, nil, nil, nil, nil,
            "the version range of search is not one airlock reads: invalid version \"!=1.0.0\": \"!=1.0.0\" is not a version or X-range",
            nil,
            "an item of dependencies is a string, not a mapping {name, version, repository}",
            "the version of ui is a list, not a version range",
            "whether charts/ holds common is not known: the chart name of queue/charts/common-1.0.0.tgz could not be read",
        ])
        XCTAssertEqual(dependencies.map(\.file), Array(repeating: "x/Chart.yaml", count: 9) + ["x/charts/queue-3.0.0.tgz!queue/Chart.yaml"])
        XCTAssertEqual(dependencies.map(\.location.line), [5, 9, 10, 11, 12, 13, 14, 15, 16, 5])
        XCTAssertEqual(facts?.diagnostics.map(\.message), [
            "subchart not opened: archives nest deeper than the limit of 2, so its images and templates are not checked",
        ])
    }

    /// Helm refuses a chart whose Chart.yaml, or a subchart's, it does not accept (no name, a
    /// version that is none, an unknown type, an alias with other characters than letters,
    /// digits and `-`, a name or alias given twice): such a chart is an error, never one that
    /// passes with a subchart nobody checked.
    func testChartsHelmRefusesForTheirMetadataAreErrors() throws {
        let valid = "apiVersion: v2\nname: x\nversion: 1.0.0\n"
        let cases: [(chartFile: String, subchartFile: String?, error: String)] = [
            ("apiVersion: v2\nversion: 1.0.0\n", nil, "chart.metadata.name is required"),
            ("apiVersion: v2\nname: x\nversion: 1.0.0\ntype: foo\n", nil, "chart.metadata.type must be application or library"),
            ("name: x\nversion: 1.0.0\n", nil, "chart.metadata.apiVersion is required"),
            (valid + "dependencies:\n  - {name: db, alias: Bad_Alias}\n", nil, "dependency \"db\" has disallowed characters in the alias"),
            (valid + "dependencies:\n  - {name: db}\n  - {name: cache, alias: db}\n", nil, "more than one dependency with name or alias \"db\""),
            (valid, "apiVersion: v2\nname: web\nversion: banana\n", "x/charts/web/Chart.yaml: chart.metadata.version \"banana\" is invalid"),
            (valid, "- apiVersion: v2\n", "x/charts/web/Chart.yaml: chart.metadata is required (Chart.yaml is not a mapping)"),
        ]
        for (chartFile, subchartFile, error) in cases {
            var entries: [TestEntry] = [.file("x/Chart.yaml", chartFile)]
            if let subchartFile { entries.append(.file("x/charts/web/Chart.yaml", subchartFile)) }
            let chart = try chartFacts(entries)
            XCTAssertTrue(chart?.error?.hasPrefix("Helm refuses to load this chart") == true, "\(chart?.error ?? "no error")")
            XCTAssertTrue(chart?.error?.hasSuffix(error) == true, "\(chart?.error ?? "no error") for \(error)")
        }
        for version in ["1", "1.2", "v1.2.3", "1.2.3-rc.1+build.5", "0.0.0-alpha-1"] { XCTAssertTrue(ChartMetadata.isLenientSemver(version), version) }
        for version in ["", "v", "1.2.3.4", "1..2", "banana", "1.2.3-", "1.2.3+", "1.2.3-rc..1", "1.2.3_x"] { XCTAssertFalse(ChartMetadata.isLenientSemver(version), version) }
    }

    /// An apiVersion v1 chart lists its dependencies in requirements.yaml, which Helm 3 still
    /// reads (over Chart.yaml's); one that is not YAML is an error of the chart, as Helm refuses
    /// it, and an error at its place (`testAnUnreadableChartFileIsAnErrorAtItsPlace`).
    func testRequirementsYAMLListsTheDependencies() throws {
        let facts = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v1\nname: x\nversion: 1.0.0\ndependencies:\n  - name: ignored\n"),
            .file("x/requirements.yaml", "dependencies:\n  - {name: postgresql, version: 15.x.x, repository: https://charts.bitnami.com/bitnami}\n"),
        ])
        XCTAssertEqual(facts?.dependencies.map(\.name), ["postgresql"])
        XCTAssertEqual(facts?.dependencies.map(\.file), ["x/requirements.yaml"])
        XCTAssertEqual(facts?.dependencies.map(\.location.line), [2])
        XCTAssertEqual(facts?.dependencies.map(\.subchart), [nil])
        let broken = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v1\nname: x\nversion: 1.0.0\n"),
            .file("x/requirements.yaml", "dependencies: [postgresql\n"),
        ], expectingDiagnostics: true)
        XCTAssertEqual(broken?.error?.contains("x/requirements.yaml:2:1: malformed YAML"), true, broken?.error ?? "")
    }

    /// A Chart.yaml or requirements.yaml that is not YAML, of the chart or of a subchart packed in
    /// its charts/, is an error at its place, as a subchart folder's is: airlock could not read
    /// it, and the finding that Helm refuses the chart could be excepted or be under `--fail-on`.
    func testAnUnreadableChartFileIsAnErrorAtItsPlace() throws {
        let valid = "apiVersion: v2\nname: x\nversion: 1.0.0\n"
        let subchart = TestArchiveWriter.tar([.file("db/Chart.yaml", "apiVersion: v2\nname: [db\n")], compression: .gzip)
        let cases: [(entries: [TestEntry], error: String)] = [
            ([.file("x/Chart.yaml", "apiVersion: v2\nname: x\ndependencies: [\n")], "x/Chart.yaml:4:1: malformed YAML: while parsing a flow node, did not find expected node content"),
            ([.file("x/Chart.yaml", valid), .file("x/requirements.yaml", "dependencies: [db\n")],
             "x/requirements.yaml:2:1: malformed YAML: while parsing a flow sequence that starts at 1:15, did not find expected ',' or ']'"),
            ([.file("x/Chart.yaml", valid), .file("x/charts/db-1.0.0.tgz", bytes: subchart)],
             "x/charts/db-1.0.0.tgz!db/Chart.yaml:3:1: malformed YAML: while parsing a flow sequence that starts at 2:7, did not find expected ',' or ']'"),
        ]
        for (entries, error) in cases {
            let folder = try TemporaryFolder()
            let chart = TestArchiveWriter.tar(entries, compression: .gzip)
            let facts = BundleFacts.read(try writeBundle(try goodEntries() + [.file("airgap-bundle-20250101/charts/x-1.0.0.tgz", bytes: chart)], in: folder))
            let place = facts.source + "!airgap-bundle-20250101/charts/x-1.0.0.tgz!"
            XCTAssertEqual(facts.diagnostics.map(\.description), [place + error])
            XCTAssertEqual(facts.charts.first { $0.archive == "charts/x-1.0.0.tgz" }?.error?.hasSuffix(place + error), true, "Helm refuses the chart: still a finding")
        }
    }

    /// `helm install` creates every object of a chart's crds/ as it is: their images are read as
    /// a bundle's manifests are (`helm template` leaves crds/ out, so a rendered chart misses them).
    func testObjectsOfAChartsCRDsFolderAreReadForImages() throws {
        let facts = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n"),
            .file("x/crds/agents.yaml", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: docker.io/evil/miner:1}]\n"),
        ])
        XCTAssertEqual(facts?.referencedImages.map { "\($0.reference) \($0.file):\($0.location.line):\($0.location.column)" }, [
            "docker.io/evil/miner:1 x/crds/agents.yaml:7:37",
        ])
    }

    /// A subchart folder whose Chart.yaml Helm cannot read is an error at its place.
    func testAnUnreadableSubchartFolderIsAnErrorAtItsPlace() throws {
        let folder = try TemporaryFolder()
        let chart = TestArchiveWriter.tar([
            .file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n  - name: web\n"),
            .file("x/charts/web/Chart.yaml", "name: [web\n"),
        ], compression: .gzip)
        let facts = BundleFacts.read(try writeBundle(try goodEntries() + [.file("airgap-bundle-20250101/charts/x-1.0.0.tgz", bytes: chart)], in: folder))
        XCTAssertEqual(facts.diagnostics.map(\.description), [
            facts.source + "!airgap-bundle-20250101/charts/x-1.0.0.tgz!x/charts/web/Chart.yaml:2:1: malformed YAML: while parsing a flow sequence that starts at 1:7, did not find expected ',' or ']'",
        ])
        XCTAssertEqual(facts.chartDependencies.last?.error, "whether charts/ holds web is not known: the chart name of x/charts/web could not be read")
    }

    /// Helm loads every entry of a chart's charts/ as a chart, a `*.tgz` file packed and anything
    /// else as a folder: a subchart packed as `db-1.0.0.tar.gz`, a stray README.md, a folder
    /// without Chart.yaml is a chart without Chart.yaml to it, and it refuses the chart; such a
    /// file is never opened as the subchart a dependency needs. Names starting with `_` or `.`
    /// and `.prov` files it leaves alone.
    func testHelmLoadsOnlyTGZFilesAndChartFoldersFromCharts() throws {
        let db = TestArchiveWriter.tar([.file("db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n")], compression: .gzip)
        let chartFile = TestEntry.file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n  - {name: db, version: 1.x}\n")
        let refusal = "Helm refuses to load this chart (\"Chart.yaml file is missing\"): it loads every entry of charts/ as a chart, "
            + "a *.tgz file packed and anything else as a folder holding Chart.yaml, and "
        let packedOtherwise = try chartFacts([chartFile, .file("x/charts/db-1.0.0.tar.gz", bytes: db)])
        XCTAssertEqual(packedOtherwise?.error, refusal + "x/charts/db-1.0.0.tar.gz is a file not named *.tgz")
        XCTAssertEqual(packedOtherwise?.dependencies.map(\.subchart), [])
        let strays = try chartFacts([
            chartFile, .file("x/charts/db-1.0.0.tgz", bytes: db), .file("x/charts/README.md", "# charts\n"),
            .file("x/charts/dashboards/a.json", "{}\n"), .file("x/charts/web.tgz/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n"),
        ])
        XCTAssertEqual(strays?.error, refusal + "x/charts/README.md is a file not named *.tgz, x/charts/dashboards is a folder without Chart.yaml, x/charts/web.tgz is a folder, not a packed chart")
        let skipped = try chartFacts([
            chartFile, .file("x/charts/db-1.0.0.tgz", bytes: db), .file("x/charts/db-1.0.0.tgz.prov", "signature\n"),
            .file("x/charts/_old.tar.gz", bytes: db), .file("x/charts/.keep", ""),
        ])
        XCTAssertNil(skipped?.error)
        XCTAssertEqual(skipped?.dependencies.map(\.subchart), ["x/charts/db-1.0.0.tgz"])
    }

    /// Helm's loader reads no bytes from an archive entry that is not a regular file: a link, a
    /// device or a FIFO named `*.tgz` in charts/ is an empty archive to it, and a folder's
    /// Chart.yaml that is one has no name, so it refuses the chart, whether a dependency names the
    /// subchart or not.
    func testSubchartEntriesThatAreNoRegularFileMakeHelmRefuseTheChart() throws {
        let db = TestArchiveWriter.tar([.file("db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n")], compression: .gzip)
        let chartFile = TestEntry.file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n")
        let prefix = "Helm refuses to load this chart: its loader reads no bytes from an entry that is not a regular file, "
            + "so a subchart packed in one is an empty archive and a Chart.yaml in one has no name, and "
        let links = try chartFacts([
            chartFile, .file("x/charts/db-1.0.0.tgz", bytes: db), .symlink("x/charts/a.tgz", to: "db-1.0.0.tgz"),
            .hardlink("x/charts/b.tgz", to: "x/charts/db-1.0.0.tgz"), TestEntry(path: "x/charts/c.tgz", kind: .fifo, mode: 0o644),
        ])
        XCTAssertEqual(links?.error, prefix + "x/charts/a.tgz is a symlink, not a file, x/charts/b.tgz is a hardlink, not a file, x/charts/c.tgz is a fifo, not a file")
        let folder = try chartFacts([chartFile, .symlink("x/charts/web/Chart.yaml", to: "../../Chart.yaml")])
        XCTAssertEqual(folder?.error, prefix + "x/charts/web/Chart.yaml is a symlink, not a file")
    }

    /// A subchart Helm loads from a folder of charts/ is checked as the top chart is: its
    /// Chart.yaml's dependencies (apiVersion v2) or its requirements.yaml's (v1) must be in its own
    /// charts/, packed or as folders, and so on down; findings name the folder's file and line.
    func testDependenciesOfSubchartFoldersAreCheckedAllTheWayDown() throws {
        let cache = TestArchiveWriter.tar([.file("cache/Chart.yaml", "apiVersion: v2\nname: cache\nversion: 1.4.0\n")], compression: .gzip)
        let facts = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n  - {name: web}\n  - {name: legacy}\n"),
            .file("x/charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 2.1.0\ndependencies:\n  - {name: ui, version: 1.x}\n  - {name: cache, version: ^1.2.0}\n  - {name: db}\n"),
            .file("x/charts/web/charts/ui/Chart.yaml", "apiVersion: v2\nname: ui\nversion: 1.3.0\ndependencies:\n  - {name: icons}\n"),
            .file("x/charts/web/charts/cache-1.4.0.tgz", bytes: cache),
            .file("x/charts/legacy/Chart.yaml", "apiVersion: v1\nname: legacy\nversion: 0.9.0\n"),
            .file("x/charts/legacy/requirements.yaml", "dependencies:\n  - name: mysql\n    version: 8.x\n"),
        ])
        XCTAssertNil(facts?.error)
        XCTAssertEqual(facts?.dependencies.map { "\($0.file):\($0.location.line) \($0.name ?? "-") \($0.subchart ?? "missing")" }, [
            "x/Chart.yaml:5 web x/charts/web",
            "x/Chart.yaml:6 legacy x/charts/legacy",
            "x/charts/web/Chart.yaml:5 ui x/charts/web/charts/ui",
            "x/charts/web/Chart.yaml:6 cache x/charts/web/charts/cache-1.4.0.tgz",
            "x/charts/web/Chart.yaml:7 db missing",
            "x/charts/web/charts/ui/Chart.yaml:5 icons missing",
            "x/charts/legacy/requirements.yaml:2 mysql missing",
        ])
        // What Helm cannot load in a folder's charts/ makes it refuse the whole chart.
        let refused = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n"),
            .file("x/charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 2.1.0\n"),
            .file("x/charts/web/charts/cache-1.4.0.tar.gz", bytes: cache),
        ])
        XCTAssertEqual(refused?.error?.hasSuffix("and x/charts/web/charts/cache-1.4.0.tar.gz is a file not named *.tgz"), true, refused?.error ?? "no error")
    }

    /// Chart folders nested deeper than the bound are not read: an error (exit 2) at the
    /// Chart.yaml not read, not a pass.
    func testSubchartFoldersNestedTooDeepAreAnError() throws {
        let depth = ChartDependencyWalk.maxFolderDepth + 1
        var entries: [TestEntry] = [.file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n")]
        var folder = "x"
        for level in 1...depth {
            folder += "/charts/c\(level)"
            entries.append(.file(folder + "/Chart.yaml", "apiVersion: v2\nname: c\(level)\nversion: 1.0.0\ndependencies:\n  - {name: c\(level + 1)}\n"))
        }
        let facts = try chartFacts(entries, expectingDiagnostics: true)
        XCTAssertEqual(facts?.diagnostics.map { "\($0.location?.file.split(separator: "!").last ?? ""): \($0.message)" }, [
            "\(folder)/Chart.yaml: subchart folder not read: chart folders nest deeper than \(depth - 1), so its dependencies are not checked",
        ])
        XCTAssertEqual(facts?.dependencies.count, depth - 1)
        XCTAssertEqual(facts?.dependencies.last?.error, "whether charts/ holds c\(depth) is not known: the chart name of \(folder) could not be read")
    }

    func testABrokenSubchartIsAnErrorOfItsChart() throws {
        let subchart = TestArchiveWriter.tar([.file("db/values.yaml", "a: 1\n")], compression: .gzip)
        let chart = try chartFacts([
            .file("x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n"),
            .file("x/charts/db-1.0.0.tgz", bytes: subchart),
        ])
        XCTAssertEqual(chart?.error, "subchart x/charts/db-1.0.0.tgz: no Chart.yaml at the top of the chart archive")
    }

    func testChartFileOutsideTheChartFolderIsNotRead() throws {
        let chart = try chartFacts([.file("Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n"), .file("values.yaml", "a: 1\n")])
        XCTAssertNil(chart?.name)
        XCTAssertEqual(chart?.error, "Helm refuses to load this chart: Chart.yaml (Helm refuses a chart holding content outside its folder), values.yaml (Helm refuses a chart holding content outside its folder)")
    }

    func testImageArchiveMissingItsConfigLayersOrBlobsIsAnError() throws {
        let folder = try TemporaryFolder()
        let dockerSave = TestArchiveWriter.tar([
            .file("manifest.json", #"[{"Config":"9c2e.json","RepoTags":["x/app:1"],"Layers":["3f1a/layer.tar","77aa/layer.tar"]}]"#),
            .file("3f1a/layer.tar", "layer"),
        ], compression: .gzip)
        let oci = TestArchiveWriter.tar([
            .file("oci-layout", #"{"imageLayoutVersion":"1.0.0"}"#),
            .file("index.json", #"{"schemaVersion":2,"manifests":[{"digest":"sha256:abcd","annotations":{"io.containerd.image.name":"docker.io/x/db:1"}}]}"#),
        ])
        let entries = try goodEntries() + [
            .file("airgap-bundle-20250101/images/app.tar.gz", bytes: dockerSave),
            .file("airgap-bundle-20250101/images/db.tar", bytes: oci),
        ]
        let facts = BundleFacts.read(try writeBundle(entries, in: folder))
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(facts.imageArchives.filter { $0.error != nil }.map(\.archive), ["images/app.tar.gz", "images/db.tar"])
        XCTAssertEqual(facts.imageArchives.compactMap(\.error), [
            "manifest.json names 9c2e.json, manifest.json names 77aa/layer.tar, which the archive does not hold: not a loadable image",
            "index.json names blobs/sha256/abcd, which the archive does not hold: not a loadable image",
        ])
        XCTAssertEqual(facts.issues.map(\.kind), [.unreadableNestedArchive, .unreadableNestedArchive])
    }

    /// A digest-pinned image is only as good as the blob under that digest: a blob index.json
    /// (or a manifest) names whose content hashes to something else is an error.
    func testOCIBlobsThatDoNotHashToTheirDigestAreAnError() throws {
        let folder = try TemporaryFolder()
        let config = Array("{}".utf8)
        let configDigest = FileDigest.sha256(of: config)
        let manifest = Array(#"{"schemaVersion":2,"config":{"digest":"sha256:\#(configDigest)","size":2},"layers":[{"digest":"sha256:\#(String(repeating: "2", count: 64))"}]}"#.utf8)
        let pinned = FileDigest.sha256(of: manifest)
        func oci(_ blob: [UInt8], config: [UInt8]) -> [UInt8] {
            TestArchiveWriter.tar([
                .file("oci-layout", #"{"imageLayoutVersion":"1.0.0"}"#),
                .file("index.json", #"{"schemaVersion":2,"manifests":[{"digest":"sha256:\#(pinned)","annotations":{"io.containerd.image.name":"docker.io/x/db:1"}}]}"#),
                .file("blobs/sha256/" + pinned, bytes: blob),
                .file("blobs/sha256/" + configDigest, bytes: config),
                .file("blobs/sha256/" + String(repeating: "2", count: 64), bytes: Array("layer".utf8)),
            ])
        }
        let evil = Array(#"{"schemaVersion":2,"layers":[],"annotations":{"evil":"yes"}}"#.utf8)
        let entries = try goodEntries() + [
            .file("airgap-bundle-20250101/images/evil.tar", bytes: oci(evil, config: config)),
            .file("airgap-bundle-20250101/images/layer.tar", bytes: oci(manifest, config: config)),
        ]
        let facts = BundleFacts.read(try writeBundle(entries, in: folder))
        XCTAssertEqual(facts.diagnostics, [])
        XCTAssertEqual(facts.imageArchives.filter { $0.error != nil }.map(\.archive), ["images/evil.tar", "images/layer.tar"])
        XCTAssertEqual(facts.imageArchives.compactMap(\.error), [
            "index.json names blobs/sha256/\(pinned), whose content hashes to sha256:\(FileDigest.sha256(of: evil))",
            "blobs/sha256/\(pinned) names blobs/sha256/\(String(repeating: "2", count: 64)), whose content hashes to sha256:\(FileDigest.sha256(of: Array("layer".utf8)))",
        ])
        XCTAssertEqual(facts.images.last?.digest, "sha256:" + pinned, "the claim is still recorded")
    }

    func testCompressionBombInsideAnImageArchive() throws {
        let folder = try TemporaryFolder()
        let bomb = TestArchiveWriter.tar([.file("layer.tar", bytes: [UInt8](repeating: 0, count: 6 << 20)), .file("manifest.json", "[]")], compression: .gzip)
        let entries = try goodEntries() + [.file("airgap-bundle-20250101/images/bomb.tar.gz", bytes: bomb)]
        var options = BundleReadOptions()
        options.limits.ratioGraceBytes = 1 << 20
        options.limits.maxCompressionRatio = 100
        let facts = BundleFacts.read(try writeBundle(entries, in: folder, compression: .none), options: options)
        XCTAssertEqual(facts.issues.map(\.kind), [.unreadableNestedArchive])
        XCTAssertTrue(facts.issues.first?.detail.contains("--max-compression-ratio") == true, facts.issues.first?.detail ?? "")
        XCTAssertEqual(facts.diagnostics.count, 1)
    }
}
