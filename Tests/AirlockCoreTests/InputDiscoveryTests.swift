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

    /// A link loop or a dangling link named on the command line says what reading it inside a
    /// folder says, not that nothing is there.
    func testALinkLeadingNowhereIsNamedAsTheFolderWalkNamesIt() throws {
        try FileManager.default.createSymbolicLink(atPath: path("a.yaml"), withDestinationPath: "b.yaml")
        try FileManager.default.createSymbolicLink(atPath: path("b.yaml"), withDestinationPath: "a.yaml")
        try FileManager.default.createSymbolicLink(atPath: path("dangling.yaml"), withDestinationPath: "absent.yaml")
        let loop = "cannot read file: Too many levels of symbolic links"
        XCTAssertEqual(readErrors([path("a.yaml")]), ["\(path("a.yaml")):1:1: \(loop)"])
        XCTAssertEqual(readErrors([folder.path]), ["\(path("a.yaml")):1:1: \(loop)", "\(path("b.yaml")):1:1: \(loop)", "\(path("dangling.yaml")):1:1: cannot read file: No such file or directory"])
        XCTAssertEqual(readErrors([path("dangling.yaml")]), ["\(path("dangling.yaml")):1:1: cannot read file: No such file or directory"])
        XCTAssertEqual(readErrors([path("absent.yaml")]), ["\(path("absent.yaml")):1:1: no such file or directory"])
    }
}
