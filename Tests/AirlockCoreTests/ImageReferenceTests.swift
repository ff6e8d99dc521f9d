import AirlockCore
import CEL
import XCTest

final class ImageReferenceTests: XCTestCase {
    func testNormalisationAsTheRuntimeDoes() throws {
        XCTAssertEqual(try ImageReference(parsing: "nginx").normalized, "docker.io/library/nginx:latest")
        XCTAssertEqual(try ImageReference(parsing: "team/app:1.2").normalized, "docker.io/team/app:1.2")
        XCTAssertEqual(try ImageReference(parsing: "registry.local:5000/app:1.0").registry, "registry.local:5000")
        XCTAssertEqual(try ImageReference(parsing: "REGISTRY.LOCAL:5000/app").registry, "registry.local:5000")
        XCTAssertEqual(try ImageReference(parsing: "registry.local/app").registry, "registry.local")
        XCTAssertEqual(try ImageReference(parsing: "localhost/app").registry, "localhost")
        let pinned = try ImageReference(parsing: "quay.io/org/app@sha256:" + String(repeating: "a", count: 64))
        XCTAssertNil(pinned.tag)
        XCTAssertEqual(pinned.digest, "sha256:" + String(repeating: "a", count: 64))
    }

    func testInvalidReferences() {
        for text in ["", "registry.local:5000.evil.com/app", "regіstry.local:5000/app", "app :1", "app\u{7}", "UPPER/App", "app@sha256:123"] {
            XCTAssertThrowsError(try ImageReference(parsing: text), text)
        }
    }

    /// `image()` keeps the facts of each reference by its bytes: one with a Kelvin sign is not
    /// the reference with `K` that Swift's string equality takes it for.
    func testImageFactsAreKeptByTheReferencesBytes() {
        let program = try? CELEnvironment(declaredVariables: ["ref"], functions: ImageFunctions.all).compile("isImage(ref)")
        func isImage(_ text: String) -> Bool? {
            guard case .bool(let answer)? = program?.evaluate(["ref": .string(text)]) else { return nil }
            return answer
        }
        XCTAssertEqual(isImage("Kregistry.local/app:1"), true)
        XCTAssertEqual(isImage("\u{212A}registry.local/app:1"), false)
    }

    /// Each part is checked on its own and named in the error.
    func testErrorsNameTheMalformedPart() {
        let reasons = [
            "registry.local:5000/a..b": "malformed repository path component \"a..b\"",
            "[::1]:5000:1/app": "malformed registry host \"[::1]:5000:1\"",
            "registry.local:5000x/app": "malformed registry host \"registry.local:5000x\"",
            "app:": "malformed tag \"\"",
            "app@sha256:abc": "malformed digest \"sha256:abc\": sha256 takes 64 lower-case hex digits",
            "Registry.Local/App": "malformed repository path component \"App\"",
            "/app": "missing repository",
            "app\u{e9}": "contains whitespace, control or non-ASCII characters (look-alike hosts are refused)",
        ]
        for (text, reason) in reasons {
            XCTAssertThrowsError(try ImageReference(parsing: text), text) { error in
                XCTAssertEqual((error as? ImageReference.ParseError)?.reason, reason, text)
            }
        }
        XCTAssertEqual(try ImageReference(parsing: "Registry.Local:5000/team/app_1.x-y:V1.0_rc-2").normalized, "registry.local:5000/team/app_1.x-y:V1.0_rc-2")
        XCTAssertEqual(try ImageReference(parsing: "index.docker.io/nginx@sha512:" + String(repeating: "0", count: 128)).normalized,
                       "docker.io/library/nginx@sha512:" + String(repeating: "0", count: 128))
    }

    /// The host may be a bracketed IPv6 address, `"[" [a-fA-F0-9:]+ "]"`, with an optional port
    /// (distribution/reference), lower-cased like other hosts.
    func testBracketedIPv6Host() throws {
        let reference = try ImageReference(parsing: "[fd00::1]:5000/platform/app:1.0")
        XCTAssertEqual(reference.registry, "[fd00::1]:5000")
        XCTAssertEqual(reference.repository, "platform/app")
        XCTAssertEqual(reference.tag, "1.0")
        XCTAssertEqual(reference.normalized, "[fd00::1]:5000/platform/app:1.0")
        XCTAssertEqual(try ImageReference(parsing: "[::1]:5000/app").registry, "[::1]:5000")
        XCTAssertEqual(try ImageReference(parsing: "[FD00::A]/app@sha256:" + String(repeating: "b", count: 64)).registry, "[fd00::a]")
        // Without a `.` or `:` the first component is not a host (as the runtime splits it), and `[` is
        // no path character either.
        XCTAssertThrowsError(try ImageReference(parsing: "[]/app"))
        for text in ["[]:5000/app", "[fd00::g]/app", "[fd00::1/app", "[fd00::1]x/app", "[fd00::1]:/app",
                     "[fd00::1]:5000:1/app", "[fd00::1]]/app", "[fd00:[::1]]/app", "[::1]:50a/app"] {
            XCTAssertThrowsError(try ImageReference(parsing: text), text) { error in
                XCTAssertTrue((error as? ImageReference.ParseError)?.reason.hasPrefix("malformed registry host") == true, text)
            }
        }
    }

    /// A path component is `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`: one `.`, one `_`, `__` or
    /// any number of `-` between alphanumerics, nothing else.
    func testPathComponentsFollowTheReferenceGrammar() throws {
        for component in ["a", "a.b", "a_b", "a__b", "a-b", "a---b", "a.b_c__d--e", "0x1", "my-app.v2"] {
            XCTAssertEqual(try ImageReference(parsing: "registry.local:5000/team/\(component):1").repository, "team/\(component)", component)
        }
        for component in ["my___app", "a____b", "a..b", "a._b", "a_.b", "a_-b", "a-_b", "a.-b", "a-.b",
                          "-a", "a-", "_a", "a_", ".a", "a.", "__a", "a__", "A", "a$b"] {
            XCTAssertThrowsError(try ImageReference(parsing: "registry.local:5000/\(component):1.0"), component) { error in
                XCTAssertEqual((error as? ImageReference.ParseError)?.reason, "malformed repository path component \"\(component)\"", component)
            }
        }
    }

    /// A digest is one the runtime verifies (opencontainers/go-digest): sha256, sha384 or sha512
    /// with exactly 64, 96 or 128 lower-case hex digits. The kubelet refuses any other as
    /// InvalidImageName, so it pins nothing.
    func testDigestsAreTheOnesTheRuntimeVerifies() throws {
        for (algorithm, length) in [("sha256", 64), ("sha384", 96), ("sha512", 128)] {
            let digest = "\(algorithm):" + String(repeating: "0123456789abcdef", count: length / 16)
            XCTAssertEqual(try ImageReference(parsing: "registry.local:5000/app@" + digest).digest, digest)
            XCTAssertEqual(try ImageReference(parsing: "registry.local:5000/app:1.0@" + digest).digest, digest)
        }
        let reasons = [
            "x@md5:" + String(repeating: "a", count: 32): "unsupported digest algorithm \"md5\" (sha256, sha384 or sha512)",
            "x@foo+bar:" + String(repeating: "a", count: 64): "unsupported digest algorithm \"foo+bar\" (sha256, sha384 or sha512)",
            "x@SHA256:" + String(repeating: "a", count: 64): "unsupported digest algorithm \"SHA256\" (sha256, sha384 or sha512)",
            "x@sha512:" + String(repeating: "a", count: 64): "malformed digest \"sha512:\(String(repeating: "a", count: 64))\": sha512 takes 128 lower-case hex digits",
            "x@sha384:" + String(repeating: "a", count: 128): "malformed digest \"sha384:\(String(repeating: "a", count: 128))\": sha384 takes 96 lower-case hex digits",
            "x@sha256:" + String(repeating: "A", count: 64): "malformed digest \"sha256:\(String(repeating: "A", count: 64))\": sha256 takes 64 lower-case hex digits",
            "x@sha256:" + String(repeating: "a", count: 65): "malformed digest \"sha256:\(String(repeating: "a", count: 65))\": sha256 takes 64 lower-case hex digits",
            "x@" + String(repeating: "a", count: 64): "malformed digest \"\(String(repeating: "a", count: 64))\"",
        ]
        for (text, reason) in reasons {
            XCTAssertThrowsError(try ImageReference(parsing: text), text) { error in
                XCTAssertEqual((error as? ImageReference.ParseError)?.reason, reason, text)
            }
        }
    }

    /// distribution/reference: a repository path (the registry aside, `library/` included) of at
    /// most 255 characters; a whole reference of 64 lower-case hex digits is an image ID, not a
    /// name (with a tag, a registry or in upper case it is a name); a port is any run of digits.
    func testNameLimitsOfTheReferenceGrammar() throws {
        let longest = String(repeating: "a", count: 255)
        XCTAssertEqual(try ImageReference(parsing: "registry.local:5000/\(longest):1").repository, longest)
        XCTAssertEqual(try ImageReference(parsing: "team/" + String(repeating: "a", count: 250)).repository, "team/" + String(repeating: "a", count: 250))
        for text in ["registry.local:5000/\(longest)a:1", String(repeating: "a", count: 248), "team/" + String(repeating: "a/", count: 125) + "a"] {
            XCTAssertThrowsError(try ImageReference(parsing: text), text) { error in
                XCTAssertEqual((error as? ImageReference.ParseError)?.reason.hasPrefix("repository path of 256 characters"), true, text)
            }
        }
        let hex = String(repeating: "0123456789abcdef", count: 4)
        XCTAssertThrowsError(try ImageReference(parsing: hex)) { error in
            XCTAssertEqual((error as? ImageReference.ParseError)?.reason, "64 hexadecimal digits name an image ID, not a repository")
        }
        XCTAssertEqual(try ImageReference(parsing: hex + ":1").normalized, "docker.io/library/\(hex):1")
        XCTAssertEqual(try ImageReference(parsing: "registry.local:5000/" + hex).repository, hex)
        XCTAssertEqual(try ImageReference(parsing: String(repeating: "0123456789abcdeg", count: 4)).repository, "library/" + String(repeating: "0123456789abcdeg", count: 4))
        XCTAssertEqual(try ImageReference(parsing: "registry.local:123456/app").registry, "registry.local:123456")
        XCTAssertEqual(try ImageReference(parsing: "[::1]:0000050000/app").registry, "[::1]:0000050000")
    }
}
