import AirlockCore
import XCTest

final class InputDiscoveryTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-input-discovery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The messages of everything `paths` yields that cannot be read, in order, as the folder
    /// walk and the reader give them.
    private func readErrors(_ paths: [String]) -> [String] {
        let discovered = InputDiscovery.expand(paths)
        let unreadable = discovered.sources.compactMap { source -> Diagnostic? in
            if case .failure(let error) = InputReader.read(source) { error } else { nil }
        }
        return (discovered.errors + unreadable).map(\.description)
    }

    /// Hidden files are read, as `kubectl apply -f DIR` reads them; hidden folders are skipped,
    /// and named when they hold YAML.
    func testHiddenFilesAreReadAndSkippedHiddenFoldersHoldingYAMLAreNamed() throws {
        for folder in [".git/objects", ".github/workflows", ".cache"] {
            try FileManager.default.createDirectory(at: self.folder.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for name in [".debug-pod.yaml", "pod.yml", ".git/objects/ab12", ".github/workflows/ci.yml", ".cache/notes.txt"] {
            try Data("a: 1\n".utf8).write(to: folder.appendingPathComponent(name))
        }
        let discovered = InputDiscovery.expand([folder.path])
        XCTAssertEqual(discovered.sources, [.file(path(".debug-pod.yaml")), .file(path("pod.yml"))])
        XCTAssertEqual(discovered.skippedFolders, [path(".github")])
        XCTAssertEqual(InputDiscovery.expand([path(".github")]).sources, [.file(path(".github/workflows/ci.yml"))], "read when named")
    }

    /// A Helm chart's folder (it holds Chart.yaml), named or found in a folder, is one error at its
    /// Chart.yaml and none of its files is read: its templates are not manifests. The manifests
    /// beside it are read; a file of the chart named on its own is read as named.
    func testAHelmChartIsAnErrorNotReadAsManifests() throws {
        for sub in ["repo/k8s", "repo/chart/templates", "repo/chart/charts/db/templates"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for name in ["repo/k8s/pod.yaml", "repo/chart/Chart.yaml", "repo/chart/values.yaml", "repo/chart/templates/deploy.yaml",
                     "repo/chart/charts/db/Chart.yaml", "repo/chart/charts/db/templates/db.yaml"] {
            try Data("a: 1\n".utf8).write(to: folder.appendingPathComponent(name))
        }
        let message = { (chart: String) in
            "\(chart)/Chart.yaml:1:1: a Helm chart, whose templates are not manifests until Helm renders them: check what it renders with the values it is deployed with (`helm template RELEASE \(chart) -f VALUES | airlock check -`)"
        }
        let repo = InputDiscovery.expand([path("repo")])
        XCTAssertEqual(repo.sources, [.file(path("repo/k8s/pod.yaml"))])
        XCTAssertEqual(repo.errors.map(\.description), [message(path("repo/chart"))])
        let chart = InputDiscovery.expand([path("repo/chart"), path("repo/chart/templates/deploy.yaml")])
        XCTAssertEqual(chart.sources, [.namedFile(path("repo/chart/templates/deploy.yaml"))])
        XCTAssertEqual(chart.errors.map(\.description), [message(path("repo/chart"))], "no 'holds no YAML' error besides")
    }

    /// A kustomization kustomize finds by its bare name, `Kustomization`, is read as its
    /// `kustomization.yaml` is, so that it is reported as a build input: skipped, the manifests
    /// beside it passed as written, whatever its patches change.
    func testABareKustomizationFileIsReadAndReported() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("overlay"), withIntermediateDirectories: true)
        try Data("resources: [deploy.yaml]\npatches: [{path: host-network.yaml}]\n".utf8)
            .write(to: folder.appendingPathComponent("overlay/Kustomization"))
        try Data("a: 1\n".utf8).write(to: folder.appendingPathComponent("overlay/deploy.yaml"))
        try Data("a: 1\n".utf8).write(to: folder.appendingPathComponent("overlay/NOTES"))
        XCTAssertEqual(InputDiscovery.expand([path("overlay")]).sources,
                       [.file(path("overlay/Kustomization")), .file(path("overlay/deploy.yaml"))])
    }

    /// A file named twice, by other spellings, through a symbolic or hard link or inside a named
    /// folder, is read once, under the name it was first given; so is a folder named twice or
    /// inside another.
    func testAFileIsReadOnceHoweverOftenItIsNamed() throws {
        let sub = folder.appendingPathComponent("dir/sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["pod.yaml", "dir/a.yaml", "dir/sub/b.yaml"] {
            try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8).write(to: folder.appendingPathComponent(name))
        }
        try FileManager.default.createSymbolicLink(atPath: path("dir/z-link.yaml"), withDestinationPath: "a.yaml")
        try FileManager.default.createSymbolicLink(atPath: path("linked"), withDestinationPath: "dir")
        let pod = path("pod.yaml")
        XCTAssertEqual(InputDiscovery.expand([pod, folder.path + "/./pod.yaml", pod]).sources, [.namedFile(pod)])
        XCTAssertEqual(InputDiscovery.expand(["-", "-"]).sources, [.standardInput])
        let walked: [InputDiscovery.Source] = [.file(path("dir/a.yaml")), .file(path("dir/sub/b.yaml"))]
        let dir = path("dir")
        XCTAssertEqual(InputDiscovery.expand([dir]).sources, walked, "the linked a.yaml once")
        XCTAssertEqual(InputDiscovery.expand([dir, path("dir/a.yaml"), path("linked"), dir + "/", path("dir/sub")]).sources, walked)
        XCTAssertEqual(InputDiscovery.expand([path("dir/sub"), dir]).sources, [.file(path("dir/sub/b.yaml")), .file(path("dir/a.yaml"))])
        XCTAssertEqual(InputDiscovery.expand([path("dir/a.yaml"), dir]).sources, [.namedFile(path("dir/a.yaml")), .file(path("dir/sub/b.yaml"))])
        XCTAssertEqual(InputDiscovery.expand([dir, dir]).errors, [], "a folder named again is not one that holds nothing")
        // A hard link is the same file too (one inode), named or found in a folder.
        try FileManager.default.linkItem(atPath: pod, toPath: path("dir/sub/hard.yaml"))
        XCTAssertEqual(InputDiscovery.expand([pod, path("dir/sub/hard.yaml")]).sources, [.namedFile(pod)])
        XCTAssertEqual(InputDiscovery.expand([pod, path("dir/sub")]).sources, [.namedFile(pod), .file(path("dir/sub/b.yaml"))])
    }

    /// A folder reached both itself and through a link is walked under the name that comes first
    /// in name order, whatever order the file system lists the folders in: `a_N` are made before
    /// `b_N`, whose `link` leads to `a_N` (tmpfs lists the newest first, ext4 in hash order).
    func testALinkedFolderIsWalkedInNameOrder() throws {
        let pairs = 0..<8
        for pair in pairs {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("a_\(pair)"), withIntermediateDirectories: true)
            try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\(pair)}\n".utf8).write(to: folder.appendingPathComponent("a_\(pair)/c.yaml"))
        }
        for pair in pairs {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("b_\(pair)"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: path("b_\(pair)/link"), withDestinationPath: "../a_\(pair)")
        }
        XCTAssertEqual(InputDiscovery.expand([folder.path]).sources, pairs.map { .file(path("a_\($0)/c.yaml")) })
    }

    /// A subfolder that cannot be listed is an error naming it and the reason, not a silent
    /// skip; the rest of the folder is still found. Root lists any folder, so as root the walk
    /// runs with the effective user `nobody`.
    func testAFolderThatCannotBeListedIsAnError() throws {
        for name in ["ok", "locked"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
            try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8).write(to: folder.appendingPathComponent(name + "/c.yaml"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path("locked"))
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path("locked")) }
        let (folderWalk, policyWalk) = try asUnprivilegedUser {
            (InputDiscovery.expand([folder.path]), InputDiscovery.manifestFiles(under: folder.path))
        }
        let unlistable = Diagnostic(kind: .input, message: "cannot list folder: Permission denied", location: SourceSpan(file: path("locked"), line: 1, column: 1))
        XCTAssertEqual(folderWalk.sources, [.file(path("ok/c.yaml"))])
        XCTAssertEqual(folderWalk.errors, [unlistable])
        XCTAssertEqual(policyWalk.sources, [.file(path("ok/c.yaml"))])
        XCTAssertEqual(policyWalk.errors, [unlistable])
        let onlyLocked = try asUnprivilegedUser { InputDiscovery.expand([path("locked")]) }
        XCTAssertEqual(onlyLocked.errors, [unlistable], "not also that the folder holds no YAML")
    }

    /// Runs `body` with the effective user `nobody` when the tests run as root (which may list any
    /// folder), else as the user running them.
    private func asUnprivilegedUser<T>(_ body: () throws -> T) throws -> T {
        guard geteuid() == 0 else { return try body() }
        let nobody: uid_t = 65534
        guard seteuid(nobody) == 0 else { throw XCTSkip("cannot take the effective user nobody") }
        defer { precondition(seteuid(0) == 0, "cannot take back the effective user root") }
        return try body()
    }

    /// A link loop or a dangling link named on the command line says what reading it inside a
    /// folder says, not that nothing is there.
    func testALinkLeadingNowhereIsNamedAsTheFolderWalkNamesIt() throws {
        try FileManager.default.createSymbolicLink(atPath: path("a.yaml"), withDestinationPath: "b.yaml")
        try FileManager.default.createSymbolicLink(atPath: path("b.yaml"), withDestinationPath: "a.yaml")
        try FileManager.default.createSymbolicLink(atPath: path("dangling.yaml"), withDestinationPath: "absent.yaml")
        let loop = "cannot read file: Too many levels of symbolic links"
        let dangling = "cannot read file: it is a link to absent.yaml, which leads to no file"
        XCTAssertEqual(readErrors([path("a.yaml")]), ["\(path("a.yaml")):1:1: \(loop)"])
        XCTAssertEqual(readErrors([folder.path]), ["\(path("a.yaml")):1:1: \(loop)", "\(path("b.yaml")):1:1: \(loop)", "\(path("dangling.yaml")):1:1: \(dangling)"])
        XCTAssertEqual(readErrors([path("dangling.yaml")]), ["\(path("dangling.yaml")):1:1: \(dangling)"])
        XCTAssertEqual(readErrors([path("absent.yaml")]), ["\(path("absent.yaml")):1:1: no such file or directory"])
    }
}
