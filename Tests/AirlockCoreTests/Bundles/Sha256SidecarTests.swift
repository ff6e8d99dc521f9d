import XCTest
@testable import AirlockCore

final class Sha256SidecarTests: XCTestCase {
    private let digest = String(repeating: "ab", count: 32)

    func testParsesTextBinaryAndBSDForms() {
        let (sidecar, errors) = Sha256Sidecar.parse("\(digest)  crlf.tar.gz\r\n" + """
            \(digest)  airgap-bundle-20250101.tar.gz
            \(digest.uppercased()) *other.tar.gz
            SHA256 (bsd.tar.gz) = \(digest)

            """, file: "x.sha256")
        XCTAssertEqual(errors, [])
        XCTAssertEqual(sidecar.lines.map(\.name), ["crlf.tar.gz", "airgap-bundle-20250101.tar.gz", "other.tar.gz", "bsd.tar.gz"])
        XCTAssertEqual(sidecar.lines.map(\.isBinaryMode), [false, false, true, true])
        XCTAssertEqual(sidecar.lines[2].digest, digest, "lowercased")
    }

    /// Each line form GNU `sha256sum -c` (coreutils 9.1) accepts is read, with the name it
    /// checks: one blank (a space or a tab) between digest and name, as `md5 -r` and some tools
    /// write it; two characters (`  `, ` *`, or a tab then ` ` or `*`); blanks before the digest;
    /// a `#` comment line; an escaped name; the BSD tag with or without the space before `(`.
    func testReadsEveryFormSha256sumAccepts() {
        let cases: [(text: String, name: String, binary: Bool)] = [
            ("\(digest) b.tar.gz", "b.tar.gz", false),
            ("\(digest)\tb.tar.gz", "b.tar.gz", false),
            ("\(digest)  b.tar.gz", "b.tar.gz", false),
            ("\(digest) *b.tar.gz", "b.tar.gz", true),
            ("\(digest)\t*b.tar.gz", "b.tar.gz", true),
            ("\(digest)\t b.tar.gz", "b.tar.gz", false),
            ("  \t\(digest)  b.tar.gz", "b.tar.gz", false),
            ("\(digest)   b.tar.gz", " b.tar.gz", false),
            ("\(digest) *", "*", false),
            ("\\\(digest)  a\\\\b\\nc.tar.gz", "a\\b\nc.tar.gz", false),
            ("# built by CI\n\(digest) b.tar.gz\r", "b.tar.gz", false),
            ("SHA256(b.tar.gz)=\(digest)", "b.tar.gz", true),
            ("SHA256 (b (1).tar.gz)\t= \t\(digest)", "b (1).tar.gz", true),
        ]
        for (text, name, binary) in cases {
            let (sidecar, errors) = Sha256Sidecar.parse(text + "\n", file: "x.sha256")
            XCTAssertEqual(errors, [], text)
            XCTAssertEqual(sidecar.lines.map(\.name), [name], text)
            XCTAssertEqual(sidecar.lines.map(\.isBinaryMode), [binary], text)
            XCTAssertEqual(sidecar.lines.map(\.digest), [digest], text)
        }
        // The first line fixes the form: after a one-blank line, "  name" names " name".
        let oneBlankFirst = Sha256Sidecar.parse("\(digest) a.tar.gz\n\(digest)  b.tar.gz\n\(digest) *c.tar.gz\n", file: "x.sha256")
        XCTAssertEqual(oneBlankFirst.errors, [])
        XCTAssertEqual(oneBlankFirst.sidecar.lines.map(\.name), ["a.tar.gz", " b.tar.gz", "*c.tar.gz"])
    }

    /// What `sha256sum -c` refuses is an error at its line: a one-blank line after a line of the
    /// two-character form, a digest not followed by a blank, an escape other than `\\` and `\n`,
    /// a BSD tag of another algorithm or with two spaces before `(`, a digest with a blank after it.
    func testRefusesWhatSha256sumRefuses() {
        let mixed = Sha256Sidecar.parse("\(digest)  a.tar.gz\n\(digest) b.tar.gz\n", file: "x.sha256")
        XCTAssertEqual(mixed.sidecar.lines.map(\.name), ["a.tar.gz"])
        XCTAssertEqual(mixed.errors.map(\.description), [
            "x.sha256:2:1: not a sha256sum line: one blank between the digest and the file name, after a line with two (\"  \" or \" *\"): sha256sum -c does not mix the two forms",
        ])
        for text in ["\(digest)b.tar.gz", "\(digest)x b.tar.gz", "\\\(digest)  a\\tb", "\\\(digest)  a\\", "SHA2-256 (b.tar.gz) = \(digest)",
                     "SHA256  (b.tar.gz) = \(digest)", "SHA256 (b.tar.gz) = \(digest) ", "SHA256 (b.tar.gz) \(digest)", "\(digest) "] {
            XCTAssertEqual(Sha256Sidecar.parse(text + "\n", file: "x.sha256").errors.map(\.description), [
                "x.sha256:1:1: not a sha256sum line: expected \"<64 hex digits>  <file name>\"",
            ], text)
        }
    }

    func testMalformedLinesAreErrorsWithPositions() {
        let (_, errors) = Sha256Sidecar.parse("\(digest)  ok\nnot a digest line\n\(digest.dropLast())  short\n", file: "x.sha256")
        XCTAssertEqual(errors.map { $0.location?.line }, [2, 3])
        XCTAssertEqual(Sha256Sidecar.parse("", file: "e.sha256").errors.count, 1)
    }

    func testMatchAndMismatchAgainstTheTarball() throws {
        let folder = try TemporaryFolder()
        let bytes = TestArchiveWriter.tar([.file("a", "hello")], compression: .gzip)
        let tarball = try folder.write(bytes, to: "b.tar.gz")
        let actual = FileDigest.sha256(of: bytes)

        let good = try folder.write(Array("\(actual)  b.tar.gz\n".utf8), to: "b.tar.gz.sha256")
        let (check, errors) = Sha256Sidecar.verify(tarball: tarball, sidecarPath: good)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(check?.match, true)
        XCTAssertEqual(check?.expected, actual)
        XCTAssertEqual(check?.actual, actual)
        XCTAssertEqual(check?.nameMatches, true)

        let bad = try folder.write(Array("\(digest)  renamed.tar.gz\n".utf8), to: "bad.sha256")
        let (mismatch, _) = Sha256Sidecar.verify(tarball: tarball, sidecarPath: bad)
        XCTAssertEqual(mismatch?.match, false)
        XCTAssertEqual(mismatch?.expected, digest)
        XCTAssertEqual(mismatch?.actual, actual)
        XCTAssertEqual(mismatch?.nameMatches, false)
        XCTAssertEqual(mismatch?.nameInSidecar, "renamed.tar.gz")
    }

    /// `sha256sum -c` beside the tarball checks the file each line names: another name, a path,
    /// or two disagreeing lines for the tarball do not vouch for it, even when a digest matches.
    func testASidecarNamingAnotherFileAPathOrDisagreeingLinesDoesNotMatch() {
        let actual = digest
        func check(_ text: String) -> Sha256Sidecar.Check {
            Sha256Sidecar.parse(text, file: "b.tar.gz.sha256").sidecar.check(fileName: "/srv/in/b.tar.gz", actual: actual)
        }
        let good = check("\(actual)  b.tar.gz\n")
        XCTAssertEqual(good.match, true)
        XCTAssertNil(good.problem)
        XCTAssertEqual(check("\(actual) *b.tar.gz\nSHA256 (b.tar.gz) = \(actual)\n").match, true, "agreeing lines")

        let other = check("\(actual)  decoy.tar.gz\n")
        XCTAssertEqual(other.match, false)
        XCTAssertEqual(other.nameMatches, false)
        XCTAssertEqual(other.problem, "the sidecar names decoy.tar.gz (line 1), not b.tar.gz: sha256sum -c checks that file")

        let path = check("\(actual)  /tmp/elsewhere/b.tar.gz\n")
        XCTAssertEqual(path.match, false)
        XCTAssertEqual(path.nameMatches, false)
        XCTAssertEqual(path.problem, "the sidecar names the path /tmp/elsewhere/b.tar.gz (line 1), not the file b.tar.gz beside it: sha256sum -c checks that path")
        XCTAssertEqual(check("\(actual)  ./b.tar.gz\n").match, false)

        let twice = check("\(actual)  b.tar.gz\n\(String(repeating: "0", count: 64))  b.tar.gz\n")
        XCTAssertEqual(twice.match, false)
        XCTAssertEqual(twice.expected, actual)
        XCTAssertEqual(twice.problem, "the sidecar has 2 lines for b.tar.gz with different digests (lines 1, 2): sha256sum -c fails")

        // A line for another file beside the tarball's own: sha256sum -c checks that one too.
        let extra = check("\(String(repeating: "0", count: 64))  other.tar.gz\n\(actual)  b.tar.gz\n")
        XCTAssertEqual(extra.match, false)
        XCTAssertEqual(extra.expected, actual)
        XCTAssertEqual(extra.problem, "the sidecar also names other.tar.gz (line 1): sha256sum -c checks that file too, which is not the bundle")
    }

    /// A sidecar that is a FIFO is refused at once: opening it would wait for a writer forever.
    func testASidecarThatIsNotARegularFileIsAnErrorNotAWait() throws {
        let folder = try TemporaryFolder()
        let tarball = try folder.write(TestArchiveWriter.tar([.file("a", "hello")], compression: .gzip), to: "b.tar.gz")
        let fifo = folder.url.appendingPathComponent("b.tar.gz.sha256").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let (check, errors) = Sha256Sidecar.verify(tarball: tarball, sidecarPath: fifo)
        XCTAssertNil(check)
        XCTAssertEqual(errors.map(\.message), ["cannot read sha256 sidecar: it is not a regular file"], "a sidecar is no archive")
    }

    func testFileDigestMatchesKnownVector() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(Array("abc".utf8), to: "abc")
        XCTAssertEqual(try FileDigest.sha256(ofFileAt: path), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
