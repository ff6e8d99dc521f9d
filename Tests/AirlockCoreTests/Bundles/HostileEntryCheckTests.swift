import Foundation
import XCTest
@testable import AirlockCore

final class HostileEntryCheckTests: XCTestCase {
    private func issues(_ entries: [TestEntry], root: String = "", file: StaticString = #filePath, line: UInt = #line) -> [BundleIssue] {
        let listing = ArchiveListing.read(ArchiveReader(bytes: TestArchiveWriter.tar(entries, compression: .gzip), name: "evil.tar.gz"))
        XCTAssertEqual(listing.diagnostics, [], file: file, line: line)
        return HostileEntryCheck.issues(in: listing.entries, root: root)
    }

    func testCleanArchiveHasNoIssues() {
        XCTAssertEqual(issues([.directory("b"), .file("b/a", "x"), .symlink("b/l", to: "a"), .hardlink("b/h", to: "b/a")]), [])
    }

    func testParentTraversal() {
        let found = issues([.file("../evil", "x"), .file("ok/../../evil2", "x"), .file("docs/..\\..\\evil.bat", "x"), .file("docs/a..b\\c", "x")])
        XCTAssertEqual(found.map(\.kind), [.pathTraversal, .pathTraversal, .pathTraversal])
        XCTAssertEqual(found.map(\.path), ["../evil", "ok/../../evil2", "docs/..\\..\\evil.bat"])
    }

    func testAbsolutePath() {
        let found = issues([.file("/etc/cron.d/evil", "x")])
        XCTAssertEqual(found, [BundleIssue(kind: .absolutePath, path: "/etc/cron.d/evil", detail: "absolute path \"/etc/cron.d/evil\"")])
    }

    func testSymlinkOutsideRoot() {
        let found = issues([.symlink("b/passwd", to: "/etc/passwd"), .symlink("b/up", to: "../../x"), .symlink("b/sibling", to: "../c/y")])
        XCTAssertEqual(found.map(\.kind), [.linkOutsideRoot, .linkOutsideRoot])
        XCTAssertEqual(found.map(\.path), ["b/passwd", "b/up"])
        XCTAssertTrue(found[0].detail.contains("/etc/passwd"))
    }

    func testLinkLeavingTheBundleFolderButNotTheArchive() {
        let found = issues([.symlink("bundle/x", to: "../other/y")], root: "bundle")
        XCTAssertEqual(found.map(\.kind), [.linkOutsideRoot])
    }

    /// Links created by earlier entries are followed as an unpacker follows them: a chain that
    /// reads as inside the root by its text escapes, and a file written through a link replaces
    /// one checked earlier.
    func testEntriesAndLinksResolveThroughTheArchiveLinks() {
        let chain = issues([.directory("b"), .symlink("b/a", to: "."), .symlink("b/a/a/a/x", to: "../../.."), .file("b/a/a/a/x/pwned", "x")])
        XCTAssertEqual(chain, [
            BundleIssue(kind: .throughLink, path: "b/a/a/a/x", detail: "written through a symlink of the archive: lands at \"b/x\""),
            BundleIssue(kind: .throughLink, path: "b/a/a/a/x/pwned", detail: "written through a symlink of the archive: lands outside the archive"),
            BundleIssue(kind: .linkOutsideRoot, path: "b/a/a/a/x", detail: "symlink to \"../../..\" resolves outside the bundle root"),
        ])
        let swap = issues([.file("m/w", "checked"), .symlink("m/l", to: "."), .file("m/l/w", "swapped")])
        XCTAssertEqual(swap, [
            BundleIssue(kind: .throughLink, path: "m/l/w", detail: "written through a symlink of the archive: lands at \"m/w\""),
            BundleIssue(kind: .duplicatePath, path: "m/l/w", detail: "entry 2 with the path \"m/w\""),
        ])
        let hardlink = issues([.symlink("b/up", to: ".."), .hardlink("b/h", to: "b/up/../etc/x")], root: "b")
        XCTAssertEqual(hardlink.map(\.kind), [.linkOutsideRoot, .linkOutsideRoot])
    }

    /// Links that loop go nowhere, neither inside the root nor out of it: the issue says they loop.
    func testLinksThatLoopSaySo() {
        XCTAssertEqual(issues([.symlink("b/a", to: "c"), .symlink("b/c", to: "a"), .file("b/a/x", "x"), .hardlink("b/h", to: "b/c/y")]), [
            BundleIssue(kind: .throughLink, path: "b/a/x", detail: "written through a symlink of the archive: loops: b/a -> b/c -> b/a"),
            BundleIssue(kind: .unresolvableLink, path: "b/a", detail: "symlink to \"c\" loops: b/a -> b/c -> b/a"),
            BundleIssue(kind: .unresolvableLink, path: "b/c", detail: "symlink to \"a\" loops: b/c -> b/a -> b/c"),
            BundleIssue(kind: .unresolvableLink, path: "b/h", detail: "hardlink to \"b/c/y\" loops: b/c -> b/a -> b/c"),
        ])
        XCTAssertEqual(issues([.symlink("b/self", to: "../b/self")]), [
            BundleIssue(kind: .unresolvableLink, path: "b/self", detail: "symlink to \"../b/self\" loops: b/self -> b/self"),
        ])
    }

    /// Linux follows at most 40 links in one path (MAXSYMLINKS), the link opened counted: a chain
    /// of 41 that ends in a file cannot be opened, and is no loop.
    func testAChainOfMoreLinksThanLinuxFollowsSaysSo() {
        let chain: [TestEntry] = (0..<40).map { .symlink("b/l\($0)", to: "l\($0 + 1)") } + [.symlink("b/l40", to: "f"), .file("b/f", "x")]
        XCTAssertEqual(issues(chain), [
            BundleIssue(kind: .unresolvableLink, path: "b/l0", detail: "symlink to \"l1\" goes through more than 40 links, more than Linux follows"),
        ])
        XCTAssertEqual(issues(Array(chain.dropFirst())), [], "40 links are followed")
    }

    func testHardlinkOutsideRoot() {
        let found = issues([.hardlink("b/shadow", to: "/etc/shadow"), .hardlink("b/h2", to: "../x")])
        XCTAssertEqual(found.map(\.kind), [.linkOutsideRoot, .linkOutsideRoot])
    }

    /// A pax hardlink may carry bytes: libarchive reads them, unpackers link the target and drop
    /// them. The entry is an issue and its carried bytes get no digest.
    func testHardlinkCarryingDataIsAnIssueAndHasNoDigest() {
        let bytes = RawTarWriter.pax([("comment", "pax: hardlinks may carry data")])
            + RawTarWriter.file("b/docs/appendix.bin", "BACKDOORED")
            + RawTarWriter.entry("b/model.bin", type: "1", data: Array("reviewed weights".utf8), linkName: "b/docs/appendix.bin")
            + RawTarWriter.end
        let listing = ArchiveListing.read(ArchiveReader(bytes: bytes, name: "evil.tar"))
        XCTAssertEqual(listing.diagnostics, [])
        XCTAssertEqual(listing.entries.map(\.type), [.file, .hardlink])
        XCTAssertNil(listing.entries[1].sha256, "the carried bytes are not what tar -x writes")
        XCTAssertEqual(HostileEntryCheck.issues(in: listing.entries, root: "b"), [BundleIssue(
            kind: .hardlinkWithData, path: "b/model.bin",
            detail: "hardlink to \"b/docs/appendix.bin\" carries 16 bytes of data, which unpackers drop for the target's")])
    }

    /// A PAX global header renames what follows for GNU tar and Python, and libarchive drops it:
    /// the entry after it is an issue, compressed or not. A tar stored as a file's data, holding
    /// a global header of its own, is no issue.
    func testPaxGlobalHeaderIsAnIssue() throws {
        let inner = RawTarWriter.pax([("path", "x")], global: true) + RawTarWriter.file("y", "y") + RawTarWriter.end
        let tar = RawTarWriter.file("b/images/app.tar", "image")
            + RawTarWriter.entry("b/images/inner.tar", data: inner)
            + RawTarWriter.pax([("path", "b/images/app.tar"), ("comment", "renamed")], global: true)
            + RawTarWriter.file("b/docs/changelog.md", "evil image") + RawTarWriter.end
        for bytes in [tar, try TestArchiveWriter.gzip(tar)] {
            let listing = ArchiveListing.read(ArchiveReader(bytes: bytes, name: "evil.tar"))
            XCTAssertEqual(listing.diagnostics, [])
            XCTAssertEqual(listing.entries.map(\.path), ["b/images/app.tar", "b/images/inner.tar", "b/docs/changelog.md"])
            XCTAssertEqual(HostileEntryCheck.issues(in: listing.entries, root: "b"), [BundleIssue(
                kind: .paxGlobalHeader, path: "b/docs/changelog.md",
                detail: "a PAX global header setting path, comment precedes this entry: GNU tar and Python apply it to every entry after it, libarchive (airlock) ignores it")])
        }
    }

    /// An entry named by both a GNU long name and a pax path: libarchive reads the pax one
    /// (templates/NOTES.txt), Helm's Go reader the GNU one (values.yaml), so the chart's values
    /// are not what was checked. Two long names of one kind are ambiguous too; either one alone
    /// is an ordinary long name, and a tar stored as a file's data is no issue.
    func testAnEntryNamedTwiceByGNUAndPaxHeadersIsAnIssue() throws {
        func longName(_ name: String, type: Character = "L") -> [UInt8] {
            RawTarWriter.entry("././@LongLink", type: type, data: Array(name.utf8) + [0])
        }
        let inner = longName("c/values.yaml") + RawTarWriter.pax([("path", "c/NOTES.txt")]) + RawTarWriter.file("c/x", "x") + RawTarWriter.end
        let tar = RawTarWriter.entry("c/inner.tar", data: inner)
            + longName("c/" + String(repeating: "l", count: 120)) + RawTarWriter.file("c/short", "a long name alone")
            + RawTarWriter.pax([("path", "c/templates/NOTES.txt")]) + longName("c/values.yaml") + RawTarWriter.file("c/README", "image: evil")
            + longName("c/a") + longName("c/b") + RawTarWriter.file("c/twice", "which")
            + RawTarWriter.pax([("linkpath", "c/safe")]) + longName("/etc/passwd", type: "K") + RawTarWriter.entry("c/link", type: "2", linkName: "x")
            + RawTarWriter.pax([("GNU.sparse.name", "c/NOTES.txt")]) + RawTarWriter.file("c/values-tier1-edge.yaml", "not sparse")
            + RawTarWriter.sparse("c/real.bin", size: 4096, blocks: [(offset: 0, bytes: Array("data".utf8))])
            + RawTarWriter.end
        for bytes in [tar, try TestArchiveWriter.gzip(tar)] {
            let listing = ArchiveListing.read(ArchiveReader(bytes: bytes, name: "chart.tar"))
            XCTAssertEqual(listing.diagnostics, [])
            XCTAssertEqual(listing.entries.map(\.path), [
                "c/inner.tar", "c/" + String(repeating: "l", count: 120), "c/templates/NOTES.txt", "c/b", "c/link", "c/NOTES.txt", "c/real.bin",
            ])
            XCTAssertEqual(HostileEntryCheck.issues(in: listing.entries, root: "c").filter { $0.kind == .ambiguousName }, [
                BundleIssue(kind: .ambiguousName, path: "c/templates/NOTES.txt", detail: "its name is given twice, by a GNU L header and a pax path record: libarchive (airlock) and GNU tar use the pax one, Go's archive/tar (Helm, docker load) the GNU one"),
                BundleIssue(kind: .ambiguousName, path: "c/b", detail: "its name is given by 2 GNU L headers: tar readers disagree on which one counts"),
                BundleIssue(kind: .ambiguousName, path: "c/link", detail: "its link target is given twice, by a GNU K header and a pax linkpath record: libarchive (airlock) and GNU tar use the pax one, Go's archive/tar (Helm, docker load) the GNU one"),
                BundleIssue(kind: .ambiguousName, path: "c/NOTES.txt", detail: "its name is given by a pax GNU.sparse.name record of an entry that is not sparse: libarchive (airlock) and GNU tar use it, Go's archive/tar (Helm, docker load) does not"),
            ])
        }
    }

    /// Readers accept a header checksum summed as signed bytes and a size in GNU's base-256, so
    /// the scanner must too: a global header with a signed checksum (a byte over 0x7F in its name)
    /// renamed every entry after it for GNU tar and Python while the bundle passed, and a pax
    /// `path` record in a header whose size was base-256 was not counted beside a GNU long name.
    func testExtensionHeadersWithASignedChecksumOrABase256SizeAreFound() {
        let global = RawTarWriter.rewritingHeader(RawTarWriter.pax([("path", "b/images/app.tar")], global: true), signed: true) {
            $0[17] = 0xFF
        }
        let pax = RawTarWriter.pax([("path", "b/templates/NOTES.txt")])
        let base256 = RawTarWriter.rewritingHeader(pax) { block in
            let length = Int(String(decoding: block[124..<135], as: UTF8.self), radix: 8)!
            for index in 124..<136 { block[index] = 0 }
            block[124] = 0x80
            block[135] = UInt8(length)
        }
        let tar = RawTarWriter.file("b/images/app.tar", "image") + global + RawTarWriter.file("b/docs/changelog.md", "evil image")
            + base256 + RawTarWriter.entry("././@LongLink", type: "L", data: Array("b/values.yaml".utf8) + [0]) + RawTarWriter.file("b/README", "x")
            + RawTarWriter.end
        let listing = ArchiveListing.read(ArchiveReader(bytes: tar, name: "evil.tar"))
        XCTAssertEqual(listing.diagnostics, [])
        XCTAssertEqual(listing.entries.map(\.path), ["b/images/app.tar", "b/docs/changelog.md", "b/templates/NOTES.txt"])
        XCTAssertEqual(HostileEntryCheck.issues(in: listing.entries, root: "b").map { "\($0.kind) \($0.path)" }, [
            "paxGlobalHeader b/docs/changelog.md", "ambiguousName b/templates/NOTES.txt",
        ])
    }

    /// A Solaris pax header (typeflag `X`) names the entry for libarchive, GNU tar and Python,
    /// while Go (Helm, `docker load`) reads it as a file and the entry by its ustar name: a chart's
    /// `values.yaml` was read as `templates/NOTES.txt`, as with a GNU long name beside a pax path.
    func testASolarisPaxHeaderIsAnAmbiguousName() {
        let solaris = RawTarWriter.rewritingHeader(RawTarWriter.pax([("path", "c/templates/NOTES.txt")])) { $0[156] = UInt8(ascii: "X") }
        let tar = solaris + RawTarWriter.file("c/values.yaml", "image: evil") + RawTarWriter.file("c/Chart.yaml", "name: c") + RawTarWriter.end
        let listing = ArchiveListing.read(ArchiveReader(bytes: tar, name: "chart.tar"))
        XCTAssertEqual(listing.diagnostics, [])
        XCTAssertEqual(listing.entries.map(\.path), ["c/templates/NOTES.txt", "c/Chart.yaml"])
        XCTAssertEqual(HostileEntryCheck.issues(in: listing.entries, root: "c"), [BundleIssue(
            kind: .ambiguousName, path: "c/templates/NOTES.txt",
            detail: "a Solaris pax header (typeflag X) (setting path) precedes it: libarchive (airlock), GNU tar and Python apply it, Go's archive/tar (Helm, docker load) reads it as a file of its own and the entry by its ustar name")])
    }

    /// A name that is not UTF-8 is an issue, shown with its bytes as `%XX`; two names that
    /// differ only in such bytes stay two entries (read with U+FFFD, they were one duplicate path).
    func testANameThatIsNotUTF8IsAnIssueAndKeepsItsBytesApart() {
        func named(_ name: [UInt8]) -> [UInt8] {
            RawTarWriter.entry("././@LongLink", type: "L", data: name + [0]) + RawTarWriter.file("placeholder", "x")
        }
        let tar = named(Array("c/a".utf8) + [0xFF] + Array(".txt".utf8)) + named(Array("c/a".utf8) + [0xC3] + Array(".txt".utf8))
            + RawTarWriter.file("c/é.txt", "x") + RawTarWriter.entry("c/link", type: "2", linkName: "é") + RawTarWriter.end
        let listing = ArchiveListing.read(ArchiveReader(bytes: tar, name: "chart.tar"))
        XCTAssertEqual(listing.diagnostics, [])
        XCTAssertEqual(listing.entries.map(\.path), ["c/a%FF.txt", "c/a%C3.txt", "c/é.txt", "c/link"])
        let detail = "its name is not UTF-8 (the bytes that are not are shown here as %XX); unpackers write those bytes as they are"
        XCTAssertEqual(HostileEntryCheck.issues(in: listing.entries, root: "c"), [
            BundleIssue(kind: .notUTF8, path: "c/a%FF.txt", detail: detail), BundleIssue(kind: .notUTF8, path: "c/a%C3.txt", detail: detail),
        ])
    }

    func testDevicesAndFifos() {
        let found = issues([TestEntry(path: "dev/null", kind: .characterDevice, mode: 0o666), TestEntry(path: "pipe", kind: .fifo, mode: 0o644)])
        XCTAssertEqual(found.map(\.kind), [.specialFile, .specialFile])
        XCTAssertEqual(found.map(\.detail), ["char-device entry", "fifo entry"])
    }

    func testSetuidAndSetgid() {
        let found = issues([.file("bin/su", "x", mode: 0o4755), .file("bin/g", "x", mode: 0o2755), .file("bin/both", "x", mode: 0o6755)])
        XCTAssertEqual(found.map(\.kind), [.setuid, .setgid, .setuid, .setgid])
        XCTAssertEqual(found[0].detail, "mode 04755 has the setuid bit")
    }

    func testDuplicatePaths() {
        let found = issues([.file("a/b", "1"), .file("./a/b", "2"), .file("a/x/../b", "3")])
        XCTAssertEqual(found.filter { $0.kind == .duplicatePath }.map(\.path), ["a/b", "a/x/../b"])
    }

    /// Paths that differ only in case are one file where case is ignored (macOS, Windows): the
    /// later overwrites the earlier, whose digest was checked.
    func testPathsThatDifferOnlyInCase() {
        let found = issues([.file("docs/operations.md", "1"), .file("docs/Operations.md", "2"), .file("docs/other.md", "3")])
        XCTAssertEqual(found.map(\.kind), [.duplicatePath])
        XCTAssertEqual(found.map(\.detail), ["the path of \"docs/operations.md\" but for case, one file where case is ignored (macOS, Windows)"])
    }
}
