import XCTest
@testable import YAMLSource

final class YAMLLoaderTests: XCTestCase {
    private func load(_ text: String, limits: YAMLLimits = YAMLLimits()) -> YAMLLoader.Result {
        YAMLLoader(limits: limits).load(Array(text.utf8), file: "in.yaml")
    }

    /// A node's line and column, as `[line, column]` (empty for no node).
    private func position(_ node: YAMLNode?) -> [Int] { node.map { [$0.line, $0.column] } ?? [] }

    private func single(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> YAMLNode {
        let result = load(text)
        XCTAssertEqual(result.errors, [], file: file, line: line)
        return try XCTUnwrap(result.documents.first?.root, file: file, line: line)
    }

    private func error(_ text: String, limits: YAMLLimits = YAMLLimits(), file: StaticString = #filePath, line: UInt = #line) -> String {
        let result = load(text, limits: limits)
        XCTAssertEqual(result.errors.count, 1, "expected one error, got \(result.errors)", file: file, line: line)
        return result.errors.first?.description ?? ""
    }

    /// A key is found wherever the hint points: at the hinted entry, elsewhere (the hint then
    /// moves there), past the mapping's end, or nowhere (the hint stays).
    func testKeyLookupWithHint() throws {
        let root = try single("""
            a: {x: 1, y: 2, z: 3}
            b: {z: 4, x: 5}
            c: {y: 6}
            """)
        let document = root.document
        func value(_ map: String, _ key: String, hint: inout Int) -> String? {
            guard let mapping = root[map], let id = document.value(forKey: key, ofNode: mapping.id, hint: &hint) else { return nil }
            return document.node(id).text
        }
        var hint = 0
        XCTAssertEqual(value("a", "z", hint: &hint), "3")
        XCTAssertEqual(hint, 2)
        XCTAssertEqual(value("a", "z", hint: &hint), "3")
        XCTAssertEqual(value("b", "z", hint: &hint), "4")
        XCTAssertEqual(hint, 0)
        hint = 1
        XCTAssertEqual(value("b", "x", hint: &hint), "5")
        XCTAssertEqual(hint, 1)
        hint = 5
        XCTAssertEqual(value("c", "y", hint: &hint), "6")
        XCTAssertEqual(hint, 0)
        XCTAssertNil(value("c", "x", hint: &hint))
        XCTAssertEqual(hint, 0)
        XCTAssertNil(value("c", "y ", hint: &hint))
    }

    func testPositionsOfNestedNodes() throws {
        let root = try single("""
            apiVersion: v1
            kind: Pod
            spec:
              containers:
                - name: app
                  image: "nginx:1.25"
            """)
        let image = try XCTUnwrap(root.value(at: ["spec", "containers"])?.item(at: 0)["image"])
        XCTAssertEqual(image.string, "nginx:1.25")
        XCTAssertEqual(image.line, 6)
        XCTAssertEqual(image.column, 14)
        XCTAssertTrue(image.isQuoted)
        XCTAssertEqual(root["kind"]?.line, 2)
        XCTAssertEqual(root["kind"]?.column, 7)
    }

    func testColumnsCountUnicodeScalarsNotBytes() throws {
        let root = try single("name: héllo\nnext: ünï: x\n".replacingOccurrences(of: "next: ünï: x\n", with: "ünï: x\n"))
        XCTAssertEqual(root["ünï"]?.column, 6)
    }

    func testPositionsAcrossLinesWithoutNodesLineBreaksAndLongLines() throws {
        let root = try single("# c\n\n  \na: 1\r\nb:\r\n  - x\r\n  -   y\r\nc: |\n  l1\n  l2\nd: é\re: f\rg: 'h'\n")
        XCTAssertEqual(position(root), [4, 1])
        XCTAssertEqual(position(root["a"]), [4, 4])
        XCTAssertEqual(position(root["b"]), [6, 3])
        XCTAssertEqual(position(root["b"]?.item(at: 1)), [7, 7])
        XCTAssertEqual(position(root["c"]), [8, 4])
        // A lone CR ends a line for YAML, not for airlock (see testOnlyLFAndCRLFEndALine).
        XCTAssertEqual(position(root["d"]), [11, 4])
        XCTAssertEqual(position(root["e"]), [11, 9])
        XCTAssertEqual(position(root["g"]), [11, 14])
        XCTAssertEqual(position(root.entries.last?.key), [11, 11])

        let items = (1...5000).map(String.init).joined(separator: ", ")
        let long = try single("k: [\(items)]\nnext: x\n")
        XCTAssertEqual(position(long["k"]?.item(at: 4999)), [1, 5 + items.utf8.count - 4])
        XCTAssertEqual(position(long["next"]), [2, 7])

        let bom = try single("\u{FEFF}a: b\n")
        XCTAssertEqual(position(bom["a"]), [1, 4])
    }

    /// libyaml (YAML 1.1) also ends a line at a lone CR, NEL, LS and PS; positions count lines as
    /// SARIF's default newlineSequences, git and GitHub do: those are characters of the line.
    func testOnlyLFAndCRLFEndALine() throws {
        for separator in ["\u{85}", "\u{2028}", "\u{2029}", "\r"] {
            let shown = separator.unicodeScalars.map { String($0.value, radix: 16) }.joined()
            let yaml = try single("""
                plain: a\(separator) b
                single: 'a\(separator)b'
                double: "a\(separator)b\(separator)c"
                literal: |
                  x\(separator)  y
                folded: >
                  x\(separator)  y
                flow: {k: "a\(separator)b", after: 1}
                last: x\r
                next: y
                """)
            XCTAssertEqual(position(yaml["single"]), [2, 9], shown)
            XCTAssertEqual(position(yaml["double"]), [3, 9], shown)
            XCTAssertEqual(position(yaml["literal"]), [4, 10], shown)
            XCTAssertEqual(position(yaml["folded"]), [6, 9], shown)
            XCTAssertEqual(position(yaml["flow"]?["after"]), [8, 25], shown)
            XCTAssertEqual(position(yaml["next"]), [10, 7], shown)

            let json = try single("{\"a\": \"x\(separator)y\(separator)z\", \"b\":\n [\"\(separator)\", 2]}")
            XCTAssertEqual(position(json["b"]?.item(at: 1)), [2, 8], shown)

            // Errors and reading on after one are positioned the same way.
            let broken = load("a: \"x\(separator)y\"\nb: [1\nc: 2\n---\nd: \"\(separator)\"\ne: 3\n")
            XCTAssertEqual(broken.errors.map { [$0.line, $0.column] }, [[3, 2]], shown)
            XCTAssertEqual(position(broken.documents.first?.root["e"]), [6, 4], shown)
        }
        // A byte order mark before a line with such a character still counts no column.
        let bom = try single("\u{FEFF}a: \"x\u{2028}y\"\nb: 1\n")
        XCTAssertEqual(position(bom["b"]), [2, 4])
    }

    func testMultiDocumentStreamSkipsEmptyDocumentsAndKeepsIndexes() throws {
        let result = load("a: 1\n---\n---\n# only a comment\n...\n---\nb: 2\n...\n")
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.documents.map(\.index), [0, 3])
        XCTAssertEqual(result.documents[1].root["b"]?.int, 2)
        XCTAssertEqual(result.documents[1].root["b"]?.line, 7)
    }

    func testAnchorsAliasesAndMergeKeys() throws {
        let root = try single("""
            base: &base {cpu: 1, memory: 2Gi}
            extra: &extra {gpu: 1, cpu: 9}
            merged:
              <<: [*base, *extra]
              memory: 4Gi
            alias: *base
            """)
        let merged = try XCTUnwrap(root["merged"])
        XCTAssertEqual(merged["memory"]?.string, "4Gi", "explicit keys override merged ones")
        XCTAssertEqual(merged["cpu"]?.int, 1, "earlier merge sources win")
        XCTAssertEqual(merged["gpu"]?.int, 1)
        XCTAssertEqual(merged.count, 3)
        XCTAssertEqual(root["alias"]?.entries.map { $0.key.text }, ["cpu", "memory"])
        XCTAssertEqual(root["alias"]?["memory"]?.string, "2Gi")
    }

    /// A node with properties is positioned where its value starts, as one without them, and an
    /// alias where `*name` is written; the nodes inside an aliased collection are where the
    /// anchored text is. An empty node with properties stays at them; a tag that is not allowed is
    /// reported where it is.
    func testNodesArePositionedAtTheirValueAfterPropertiesAndAliasesAtTheAlias() throws {
        let root = try single("""
            image: &img nginx:latest
            again: *img
            tagged: !!str 1.0
            both: !!str &both  x
            verbatim: !<tag:yaml.org,2002:str> v
            flow: [&f 1, !!int 2, &m {k: v}, *m]
            block: &b  # a comment
              # another

              key: value
            list: &l
            - item
            copy: *b
            empty: &e
            ünï: &u ü
            crlf: &c\r\n  k: v\r\nlast: *u
            """)
        XCTAssertEqual(position(root["image"]), [1, 13])
        XCTAssertEqual(position(root["again"]), [2, 8])
        XCTAssertEqual(root["again"]?.string, "nginx:latest")
        XCTAssertEqual(position(root["tagged"]), [3, 15])
        XCTAssertEqual(root["tagged"]?.string, "1.0")
        XCTAssertEqual(position(root["both"]), [4, 20])
        XCTAssertEqual(position(root["verbatim"]), [5, 36])
        XCTAssertEqual(root["flow"]?.items.map(position), [[6, 11], [6, 20], [6, 26], [6, 34]])
        XCTAssertEqual(position(root["flow"]?.item(at: 3)["k"]), [6, 30], "inside an alias: the anchored text")
        XCTAssertEqual(position(root["block"]), [10, 3])
        XCTAssertEqual(position(root["list"]), [12, 1])
        XCTAssertEqual(position(root["copy"]), [13, 7])
        XCTAssertEqual(position(root["copy"]?["key"]), [10, 8])
        XCTAssertEqual(position(root["empty"]), [14, 8])
        XCTAssertEqual(root["empty"]?.kind, .scalar)
        XCTAssertEqual(position(root["ünï"]), [15, 9])
        XCTAssertEqual(position(root["crlf"]), [17, 3])
        XCTAssertEqual(position(root["last"]), [18, 7])
        XCTAssertEqual(error("a: !!int x\n"), "in.yaml:1:4: \"x\" cannot be read as !!int")
        XCTAssertEqual(error("a: &x !!seq {}\n"), "in.yaml:1:4: tag !!seq is not allowed on a mapping; airlock reads only standard YAML")
    }

    /// Entries whose value is not the node made right after the key: aliased values, aliased
    /// keys, merged entries, across documents of one stream with one taken out in between.
    func testEntriesWithAliasedKeysAndValuesAcrossDocuments() throws {
        let result = load("""
            k: &k key
            v: &v {a: 1}
            *k : *v
            list: [*v, *k]
            after: *v
            last: plain
            ---
            a: &w 1
            dup: *w
            dup: 2
            ---
            x: &x [1, 2]
            y: *x
            m: &m {p: &p q, r: *p}
            n: {<<: *m, s: *x, *p : t}
            """)
        XCTAssertEqual(result.errors.map(\.line), [10], "\(result.errors)")
        guard result.documents.count == 2 else { return XCTFail("expected 2 documents, got \(result.documents.count)") }
        let first = result.documents[0].root
        XCTAssertEqual(first.entries.map { $0.key.text }, ["k", "v", "key", "list", "after", "last"])
        XCTAssertEqual(first["key"]?["a"]?.int, 1)
        XCTAssertEqual(first["after"]?["a"]?.int, 1)
        XCTAssertEqual(position(first["after"]), [5, 8])
        XCTAssertEqual(first["list"]?.items.map { $0.kind }, [.mapping, .scalar])
        XCTAssertEqual(first["last"]?.string, "plain")
        XCTAssertEqual(first.entry(at: 2).value["a"]?.int, 1)

        let second = result.documents[1].root
        XCTAssertEqual(second["y"]?.items.compactMap(\.int), [1, 2])
        XCTAssertEqual(second["m"]?["r"]?.string, "q")
        let merged = try XCTUnwrap(second["n"])
        XCTAssertEqual(merged.entries.map { $0.key.text }, ["s", "q", "p", "r"])
        XCTAssertEqual(merged.entries.map { $0.value.kind }, [.sequence, .scalar, .scalar, .scalar])
        XCTAssertEqual(merged["q"]?.string, "t")
        XCTAssertEqual(merged["r"]?.string, "q")
        XCTAssertEqual(merged.count, 4)
    }

    func testScalarTypingFollowsKubernetesYAML() throws {
        let root = try single("""
            yes: yes
            on: on
            y: y
            octal: 017
            octalO: 0o17
            hex: 0x1F
            exp: 1e3
            huge: 1e400
            tiny: 1e-400
            inf: .inf
            tilde: ~
            null: null
            date: 2024-01-01
            quoted: "1"
            single: 'true'
            underscore: 1_000
            plain: hello
            float: 1.5
            negative: -12
            """)
        func check(_ key: String, _ type: YAMLScalarType, line: UInt = #line) {
            XCTAssertEqual(root[key]?.scalarType, type, key, line: line)
        }
        check("yes", .bool); XCTAssertEqual(root["yes"]?.bool, true)
        check("on", .bool)
        check("y", .bool)
        check("octal", .int); XCTAssertEqual(root["octal"]?.int, 15)
        check("octalO", .int); XCTAssertEqual(root["octalO"]?.int, 15)
        check("hex", .int); XCTAssertEqual(root["hex"]?.int, 31)
        check("exp", .float); XCTAssertEqual(root["exp"]?.double, 1000)
        check("inf", .float); XCTAssertEqual(root["inf"]?.double, .infinity)
        check("huge", .string); XCTAssertEqual(root["huge"]?.text, "1e400")  // beyond a double: go-yaml keeps the text
        check("tiny", .float); XCTAssertEqual(root["tiny"]?.double, 0)  // underflow is no error to strconv.ParseFloat
        check("tilde", .null)
        check("null", .null)
        check("date", .string); XCTAssertEqual(root["date"]?.string, "2024-01-01")
        check("quoted", .string); XCTAssertEqual(root["quoted"]?.string, "1")
        check("single", .string)
        check("underscore", .int); XCTAssertEqual(root["underscore"]?.int, 1000)
        check("plain", .string)
        check("float", .float)
        check("negative", .int); XCTAssertEqual(root["negative"]?.int, -12)
    }

    /// The byte-level fast path types every plain scalar as the string-based rules do: the
    /// spellings of null, bool and numbers, their near misses, and every short word over an
    /// alphabet of the characters that matter.
    func testScalarTypingFromBytesAgreesWithTheStringRules() {
        var words = Array(YAMLScalarType.nullForms) + Array(YAMLScalarType.boolForms.keys) + Array(YAMLScalarType.floatSpecials.keys)
        words += ["", "nul", "nulls", "NuLL", "yES", "tRUE", "of", "offf", "0", "00", "007", "8080", "-1", "+1", "1_0", "1.", ".5",
                  "123456789012345678", "1234567890123456789", "9999999999999999999", "12345678901234567890", "0x1F", "1e3", "2024-01-01",
                  "100m", "1Gi", "250Mi", "1.5", "1e-3", "0b101", "0o17", "0xAbC", "+.inf", "-.NaN", "1_000", "10.0.0.1"]
        let alphabet = Array("0189-+._eEnNyYoOfFtTx~ aAbBiImMGk")
        var state: UInt64 = 42
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 60) % 8
            var word = ""
            var bits = state
            for _ in 0..<length {
                word.append(alphabet[Int(bits % UInt64(alphabet.count))])
                bits /= UInt64(alphabet.count)
            }
            words.append(word)
        }
        for word in words {
            var bytes = word
            let fromBytes = bytes.withUTF8 { YAMLScalarType.resolvePlain($0) }
            XCTAssertEqual(fromBytes, YAMLScalarType.resolvePlain(word), "\"\(word)\"")
        }
    }

    func testStandardTagsAreHonoured() throws {
        let root = try single("a: !!str 123\nb: !!int \"42\"\nc: !!float 1\nd: ! 12\n")
        XCTAssertEqual(root["a"]?.string, "123")
        XCTAssertEqual(root["b"]?.int, 42)
        XCTAssertEqual(root["c"]?.double, 1)
        XCTAssertEqual(root["d"]?.string, "12")
    }

    func testBlockAndFlowStylesAndAllScalarStyles() throws {
        let root = try single("""
            literal: |
              line one
              line two
            folded: >-
              folded
              text
            flow: {a: [1, 2, {b: c}]}
            double: "tab\\there"
            """)
        XCTAssertEqual(root["literal"]?.string, "line one\nline two\n")
        XCTAssertEqual(root["folded"]?.string, "folded text")
        XCTAssertEqual(root.value(at: ["flow", "a"])?.item(at: 2)["b"]?.string, "c")
        XCTAssertEqual(root["double"]?.string, "tab\there")
    }

    func testByteOrderMarkCRLFAndJSON() throws {
        let bom = try single("\u{FEFF}kind: Pod\r\nname: x\r\n")
        XCTAssertEqual(bom["name"]?.string, "x")
        XCTAssertEqual(bom["name"]?.line, 2)
        let json = try single("{\"kind\": \"Pod\", \"spec\": {\"replicas\": 3, \"on\": true}}")
        XCTAssertEqual(json.value(at: ["spec", "replicas"])?.int, 3)
    }

    /// A later document may start with a byte order mark, as `cat a.yaml b.yaml` leaves it when
    /// b.yaml was saved with one: on the line after a `---` or `...` line it is left out, and the
    /// document's columns are those of its file alone. An anchor sends a document to libyaml.
    func testByteOrderMarkAtTheStartOfALaterDocument() {
        let result = load("kind: A\n---\n\u{FEFF}kind: B\nname: b\n--- # c\n\u{FEFF}kind: C\nname: &n c\n")
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.documentCount, 3)
        XCTAssertEqual(result.documents.map { $0.root["kind"]?.string }, ["A", "B", "C"])
        XCTAssertEqual(result.documents.map { position($0.root["kind"]) }, [[1, 7], [3, 7], [6, 7]])
        XCTAssertEqual(position(result.documents[2].root["name"]), [7, 10])
        XCTAssertEqual(error("---\n\u{FEFF}a: 1\na: 2\n"), "in.yaml:3:1: duplicate key \"a\" (first at line 2, column 1); readers disagree on which one wins")
        XCTAssertEqual(error("---\n\u{FEFF}a: &x 1\na: 2\n"), "in.yaml:3:1: duplicate key \"a\" (first at line 2, column 1); readers disagree on which one wins")
        XCTAssertEqual(error("---\r\n\u{FEFF}a: [1\r\n"), "in.yaml:3:1: malformed YAML: while parsing a flow sequence that starts at 2:4, did not find expected ',' or ']'")
    }

    /// Before `---` a byte order mark starts the next document for YAML, but kubectl and Helm do
    /// not split the stream there; anywhere else at the start of a line it is a character.
    func testByteOrderMarkWhereKubectlSplitsNoDocument() throws {
        let beforeMarker = load("kind: A\n\u{FEFF}--- \nkind: B\n")
        XCTAssertEqual(beforeMarker.documents.map { $0.root["kind"]?.string }, ["A", "B"])
        XCTAssertEqual(beforeMarker.errors.map(\.description), [
            "in.yaml:2:1: a byte order mark before ---: kubectl and Helm split documents only at lines that start with ---, so they read this line into the document before it and cannot read that one; remove the byte order mark",
        ])
        XCTAssertEqual(
            error("kind: A\n\u{FEFF}kind: B\n"),
            "in.yaml:2:2: malformed YAML: while parsing a block mapping that starts at 1:1, did not find expected key (the line starts with a byte order mark, which YAML allows only where a document starts: two files joined without a --- line between them?)")
        XCTAssertEqual(try single("a: \"x\n\u{FEFF}y\"\n")["a"]?.string, "x \u{FEFF}y", "inside a quoted scalar")
    }

    func testHelmSourceCommentIsKeptPerDocument() {
        let result = load("""
            ---
            # Source: chart/templates/a.yaml
            kind: A
            ---
            # Source: chart/templates/b.yaml
            kind: B
            ---
            kind: C
            """)
        XCTAssertEqual(result.documents.map(\.helmSource), ["chart/templates/a.yaml", "chart/templates/b.yaml", nil])
    }

    // MARK: Bad input

    func testMalformedYAML() {
        XCTAssertEqual(error("a: [1, 2\nb: 3\n"), "in.yaml:2:2: malformed YAML: while parsing a flow sequence that starts at 1:4, did not find expected ',' or ']'")
        // Without a final line break the end of the text is on its last line, not after it.
        XCTAssertEqual(error("a: [1, 2"), "in.yaml:1:9: malformed YAML: while parsing a flow sequence, did not find expected ',' or ']'")
        // The same for where what libyaml was reading starts (a JSON object cut off after a comma).
        XCTAssertEqual(error("{\"a\": 1,"), "in.yaml:1:9: malformed YAML: while parsing a flow node, did not find expected node content")
        // An unclosed quote is found where the text ends: the error says where the quote is.
        XCTAssertEqual(
            error("- expression: \"true\"\n- expression: \"object.x == 'a'\n  message: m\n"),
            "in.yaml:4:1: malformed YAML: while scanning a quoted scalar that starts at 2:15, found unexpected end of stream")
    }

    /// libyaml stops at a syntax error; reading goes on at the next `---` line after the broken
    /// document, with the positions and indexes of the whole stream.
    func testReadingGoesOnAfterASyntaxError() {
        let result = load("""
            a: 1
            ---
            b: [1, 2
            c: 3
            ---
            d: "unclosed
            ---
            e: 5
            ---   {f: [}
            ---
            g: 7

            """)
        XCTAssertEqual(result.errors.map(\.description), [
            "in.yaml:4:2: malformed YAML: while parsing a flow sequence that starts at 3:4, did not find expected ',' or ']'",
            "in.yaml:7:1: malformed YAML: while scanning a quoted scalar that starts at 6:4, found unexpected document indicator",
            "in.yaml:9:12: malformed YAML: while parsing a flow node, did not find expected node content",
        ])
        XCTAssertEqual(result.documents.map(\.index), [0, 3, 5])
        XCTAssertEqual(result.documentCount, 6)
        XCTAssertEqual(result.documents.map { $0.root.entry(at: 0).key.text }, ["a", "e", "g"])
        XCTAssertEqual(result.documents.map { [$0.root.line, $0.root.column] }, [[1, 1], [8, 1], [11, 1]])
        XCTAssertEqual(result.documents[2].root["g"]?.line, 11)

        let last = load("a: 1\n---\nb: [\n")
        XCTAssertEqual(last.documents.map(\.index), [0])
        XCTAssertEqual(last.errors.count, 1)
        let first = load("--- {a: [}\n---\nb: 2\n")
        XCTAssertEqual(first.documents.map { $0.root["b"]?.int }, [2])
        XCTAssertEqual(first.documents.map(\.index), [1])
    }

    /// In a part of a file (a stream over 1 MiB, an object of JSON Lines), the lines that messages
    /// name are lines of the file, as the errors' own positions are: they were the part's.
    func testMessagesOfAPartOfAFileNameItsLines() {
        let text = "a: 1\na: 2\n---\nb: [1\nc: 2\n---\nx: 1\n<<: {x: 2}\n---\n<<: {y: 1}\n<<: {z: 2}\n"
        XCTAssertEqual(YAMLLoader().load(Array(text.utf8)[...], file: "in.yaml", lineOffset: 100).errors.map(\.description), [
            "in.yaml:102:1: duplicate key \"a\" (first at line 101, column 1); readers disagree on which one wins",
            "in.yaml:105:2: malformed YAML: while parsing a flow sequence that starts at 104:4, did not find expected ',' or ']'",
            "in.yaml:107:1: key \"x\" is set again by the merge key << after it (line 108, column 1); readers disagree on which one wins (go-yaml, which kubectl and Helm use, takes the merged value): write the key after <<",
            "in.yaml:111:1: duplicate key \"<<\" (first at line 110, column 1); readers disagree on which one wins",
        ])
    }

    func testDuplicateKeys() {
        XCTAssertEqual(
            error("spec:\n  image: a\n  image: b\n"),
            "in.yaml:3:3: duplicate key \"image\" (first at line 2, column 3); readers disagree on which one wins")
    }

    func testTabIndentation() {
        XCTAssertTrue(error("a:\n\tb: 1\n").contains("a tab is used for indentation"))
    }

    func testInvalidUTF8() {
        let result = YAMLLoader().load([UInt8]("a: ".utf8) + [0xC3, 0x28] + [UInt8]("\n".utf8), file: "in.yaml")
        XCTAssertEqual(result.errors.map(\.description), [
            "in.yaml:1:4: invalid encoding: byte 0xC3 is not UTF-8 (airlock reads UTF-8 text); this document is not read, the others are",
        ])
    }

    /// libyaml stops at the first text it cannot read and loses the documents around it: only
    /// the documents holding such text are dropped, each an error at its first bad byte, and the
    /// others keep their places and indexes.
    func testOnlyTheDocumentsWithUnreadableTextAreDropped() {
        let bytes = [UInt8]("a: 1\n---\nb: 2\n---\nc: \"".utf8) + [0xFF] + [UInt8]("\"\n---\nd: é\n---\ne: x".utf8) + [0x01]
            + [UInt8]("\n---\nf: 6\n".utf8)
        let result = YAMLLoader().load(bytes, file: "in.yaml")
        XCTAssertEqual(result.documents.map { $0.root.entries.first?.key.text ?? "" }, ["a", "b", "d", "f"])
        XCTAssertEqual(result.documents.map(\.index), [0, 1, 3, 5])
        XCTAssertEqual(result.documents.last?.root.line, 11)
        XCTAssertEqual(result.errors.map(\.description), [
            "in.yaml:5:5: invalid encoding: byte 0xFF is not UTF-8 (airlock reads UTF-8 text); this document is not read, the others are",
            "in.yaml:9:5: invalid character U+0001: YAML allows no control characters; this document is not read, the others are",
        ])
    }

    /// UTF-16 and UTF-32 with a byte order mark read as the same text in UTF-8 would, with the
    /// same positions (columns count characters, not code units); without a mark, each is named.
    func testUTF16AndUTF32WithAByteOrderMark() throws {
        let text = "\u{FEFF}kind: Pod\r\nname: \"\u{1F680} x\"\nlabel: é\n"
        let expected = try single(text)
        func encoded(_ units: [UInt32], size: Int, bigEndian: Bool) -> [UInt8] {
            units.flatMap { unit in (0..<size).map { UInt8(truncatingIfNeeded: unit >> (8 * (bigEndian ? size - 1 - $0 : $0))) } }
        }
        let utf16 = text.utf16.map(UInt32.init)
        let utf32 = text.unicodeScalars.map(\.value)
        for (name, bytes) in [
            ("UTF-16LE", encoded(utf16, size: 2, bigEndian: false)), ("UTF-16BE", encoded(utf16, size: 2, bigEndian: true)),
            ("UTF-32LE", encoded(utf32, size: 4, bigEndian: false)), ("UTF-32BE", encoded(utf32, size: 4, bigEndian: true)),
        ] {
            let result = YAMLLoader().load(bytes, file: "in.yaml")
            XCTAssertEqual(result.errors, [], name)
            let root = try XCTUnwrap(result.documents.first?.root, name)
            for key in ["name", "label"] {
                XCTAssertEqual(root[key]?.string, expected[key]?.string, name)
                XCTAssertEqual(root[key].map { [$0.line, $0.column] }, expected[key].map { [$0.line, $0.column] }, name)
            }
        }
        XCTAssertEqual(expected["name"]?.string, "\u{1F680} x")
        let loneSurrogate = [0xFF, 0xFE] + encoded([0x61, 0x3A, 0x0A, 0x62, 0x3A, 0x20, 0xD83D, 0x0A], size: 2, bigEndian: false)
        XCTAssertEqual(YAMLLoader().load(loneSurrogate, file: "in.yaml").errors.map(\.description), ["in.yaml:2:4: invalid UTF-16: a high surrogate without a low one"])
        // Without a mark, each is named (UTF-32 was "binary file: NUL byte").
        for (name, bytes) in [
            ("UTF-16LE", encoded(Array(utf16.dropFirst()), size: 2, bigEndian: false)), ("UTF-16BE", encoded(Array(utf16.dropFirst()), size: 2, bigEndian: true)),
            ("UTF-32LE", encoded(Array(utf32.dropFirst()), size: 4, bigEndian: false)), ("UTF-32BE", encoded(Array(utf32.dropFirst()), size: 4, bigEndian: true)),
        ] {
            XCTAssertEqual(YAMLLoader().load(bytes, file: "in.yaml").errors.map(\.description), [
                "in.yaml:1:1: \(name) text without a byte order mark: airlock reads UTF-8, and UTF-16 or UTF-32 that start with one",
            ])
        }
    }

    /// A surrogate pair written as two `\u` escapes (JSON's way to write a character beyond
    /// U+FFFF) is that character in a double-quoted scalar, with positions unchanged; as text in
    /// other scalars it stays text, and a lone surrogate stays an error.
    func testSurrogatePairEscapesInDoubleQuotedScalars() throws {
        let json = try single(#"{"note": "deploy \ud83d\ude80", "next": "\uD83D\uDE00\u00e9", "last": 1}"#)
        XCTAssertEqual(json["note"]?.string, "deploy \u{1F680}")
        XCTAssertEqual(json["next"]?.string, "\u{1F600}é")
        XCTAssertEqual(json["last"].map { [$0.line, $0.column] }, [1, 71], "columns after a pair are those of the file")
        let yaml = try single(#"""
            a: &x "\ud83d\ude80\\ud83d \
              \uD83D\uDE00"
            b: é \ud83d\ude80 \uE03D\uE680 plain
            c: '\ud83d\ude80'
            d: |
              \uD83D\uDE80
            e: *x
            """#)
        XCTAssertEqual(yaml["a"]?.string, "\u{1F680}\\ud83d \u{1F600}")
        XCTAssertEqual(yaml["b"]?.string, #"é \ud83d\ude80 \uE03D\uE680 plain"#)
        XCTAssertEqual(yaml["c"]?.string, #"\ud83d\ude80"#)
        XCTAssertEqual(yaml["d"]?.string, "\\uD83D\\uDE80\n")
        XCTAssertEqual(yaml["e"]?.string, yaml["a"]?.string)
        XCTAssertTrue(error(#"a: "\ud83d x""#).hasPrefix("in.yaml:1:7: malformed YAML: while parsing a quoted scalar, found invalid Unicode character escape code"))
        XCTAssertTrue(error(#"a: "\ude80\ud83d""#).contains("found invalid Unicode character escape code"), "a low surrogate first is no pair")
        XCTAssertEqual(error(#"a: "\ud83d\ude80 \ue000""#), "in.yaml:1:4: a double-quoted scalar with a surrogate pair escape and private-use characters U+E000 to U+E7FF (or their escapes), which airlock cannot tell apart")
    }

    func testBinaryFile() {
        let result = YAMLLoader().load([0x7F, 0x45, 0x4C, 0x46, 0x0A, 0x00, 0x01], file: "bin")
        XCTAssertEqual(result.errors.map(\.description), ["bin:2:1: binary file: NUL byte at offset 5; airlock reads only YAML and JSON text"])
    }

    func testAliasBombIsRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        XCTAssertTrue(error(text).contains("refusing a possible alias bomb"))
    }

    /// Merged entries are copied: a chain of mappings each merging the one before copies
    /// quadratically many, refused as they are made, not after gigabytes.
    func testMergeChainIsRefusedAsItGrows() {
        var text = "x:\n- &d0 {a: 1}\n"
        for level in 1...2_000 { text += "- &d\(level) {<<: *d\(level - 1), k\(level): v}\n" }
        XCTAssertEqual(
            error(text),
            "in.yaml:143:28: merge keys (<<) copy more than 10000 entries (10x the document's 711 nodes so far): refusing a possible alias bomb")
        // A few mappings merging shared defaults stay well within the budget.
        let defaults = "d: &d {a: 1, b: 2, c: 3}\n" + (1...100).map { "m\($0): {<<: *d, n: \($0)}\n" }.joined()
        XCTAssertEqual(load(defaults).errors, [])
    }

    /// Aliases share their anchor's text, but rules read every copy: one large scalar aliased
    /// thousands of times is refused at the alias that repeats more text than the budget.
    func testAliasesRepeatingTooMuchTextAreRefused() {
        let megabyte = String(repeating: "a", count: 1_000_000)
        let text = "image: &i \(megabyte)\nimages:\n" + String(repeating: "- *i\n", count: 3_000)
        XCTAssertEqual(
            error(text),
            "in.yaml:19:3: aliases repeat more than 16777216 bytes of scalar text (10x the text before this alias, at least 16777216): refusing a possible alias bomb")
        XCTAssertEqual(load("image: &i \(megabyte)\nimages:\n" + String(repeating: "- *i\n", count: 16)).errors, [], "16 copies fit the floor")
        // Past the floor, the budget is 10x the text before the alias.
        let aliases = Array(repeating: "*a", count: 13).joined(separator: ", ")
        XCTAssertEqual(
            error("a: &a \(String(repeating: "a", count: 200))\nb: [\(aliases)]\n", limits: YAMLLimits(aliasTextFloor: 100)),
            "in.yaml:2:53: aliases repeat more than 2590 bytes of scalar text (10x the text before this alias, at least 100): refusing a possible alias bomb")
    }

    /// The budget covers the whole stream, so that many small documents cannot each repeat up
    /// to the floor; a document dropped for an error gives its share back.
    func testAliasedTextIsCountedOverTheStream() {
        let limits = YAMLLimits(aliasExpansionFactor: 1, aliasTextFloor: 1_000)
        let document = "a: &a \(String(repeating: "x", count: 100))\nb: [*a, *a, *a, *a]\n"
        let result = load(Array(repeating: document, count: 3).joined(separator: "---\n"), limits: limits)
        XCTAssertEqual(result.documents.count, 2)
        XCTAssertEqual(result.errors.map(\.description), [
            "in.yaml:8:13: aliases repeat more than 1000 bytes of scalar text (1x the text before this alias, at least 1000): refusing a possible alias bomb",
        ])
        let broken = document + "c: !!python/object:os.system x\n"
        let withBrokenDocument = load([document, broken, document].joined(separator: "---\n"), limits: limits)
        XCTAssertEqual(withBrokenDocument.documents.count, 2)
        XCTAssertEqual(withBrokenDocument.errors.map(\.description), [
            "in.yaml:6:4: tag !!python/object:os.system is not allowed; airlock reads only the standard YAML tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)",
        ])
    }

    func testDepthLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        XCTAssertEqual(error(deep), "in.yaml:1:513: nesting is deeper than the limit of 512 (raise it with --max-depth)")
    }

    /// A document given up at the depth limit is not read on to its end: libyaml's cost per token
    /// grows with the depth of the flow collections it is in, and 100,000 `[` (a 200 KB file)
    /// took 111 s. The next document is still read.
    func testADocumentTooDeepIsNotReadToItsEnd() {
        let text = "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n---\nb: 1\n"
        let start = Date()
        let result = load(text)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(result.errors.map(\.description), ["in.yaml:1:515: nesting is deeper than the limit of 512 (raise it with --max-depth)"])
        XCTAssertEqual(result.documents.map { position($0.root) }, [[3, 1]])
    }

    func testDocumentSizeLimit() {
        let text = "a: " + String(repeating: "x", count: 200) + "\n---\nb: 1\n"
        let result = load(text, limits: YAMLLimits(maxDocumentBytes: 100))
        XCTAssertEqual(result.errors.map(\.message), ["document is larger than the limit of 100 bytes (raise it with --max-document-bytes)"])
        XCTAssertEqual(result.documents.count, 1, "the next document is still read")
    }

    func testNonStandardTags() {
        XCTAssertEqual(
            error("a: !!python/object:os.system x\n"),
            "in.yaml:1:4: tag !!python/object:os.system is not allowed; airlock reads only the standard YAML tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)")
        XCTAssertTrue(error("a: !local x\n").contains("tag !local is not allowed"))
        XCTAssertTrue(error("a: !!binary aGVsbG8=\n").contains("tag !!binary is not allowed"))
        XCTAssertTrue(error("a: !!set {x}\n").contains("tag !!set is not allowed on a mapping"))
        XCTAssertEqual(error("a: !!int abc\n"), "in.yaml:1:4: \"abc\" cannot be read as !!int")
    }

    func testUndefinedAliasAndComplexKey() {
        XCTAssertEqual(error("a: *nope\n"), "in.yaml:1:4: alias *nope refers to no anchor defined before it")
        XCTAssertTrue(error("? [a]\n: b\n").contains("a mapping key must be a scalar"))
    }

    func testMergeOfScalarIsAnError() {
        XCTAssertTrue(error("a: &x 1\nb:\n  <<: *x\n").contains("merge key << takes a mapping"))
    }

    func testRepeatedMergeKeyIsADuplicateKey() {
        XCTAssertEqual(
            error("m:\n  name: a\n  <<: {namespace: x}\n  <<: {namespace: y}\n"),
            "in.yaml:4:3: duplicate key \"<<\" (first at line 3, column 3); readers disagree on which one wins")
        XCTAssertTrue(error("m: {<<: {a: 1}, <<: {b: 2}}\n").contains("duplicate key \"<<\""))
    }

    /// A key written before `<<` that the merge sets too: go-yaml v2 (kubectl, Helm) lets the
    /// merge override it, the spec keeps it; so it is an error. Written after `<<`, it wins for both.
    func testAKeyTheMergeAfterItSetsIsAnError() throws {
        XCTAssertEqual(
            error("c:\n  image: ok\n  <<: {image: evil}\n"),
            "in.yaml:2:3: key \"image\" is set again by the merge key << after it (line 3, column 3); readers disagree on which one wins (go-yaml, which kubectl and Helm use, takes the merged value): write the key after <<")
        XCTAssertTrue(error("a: &a {egress: allow}\nn: {egress: deny, <<: [{x: 1}, *a]}\n").contains("key \"egress\" is set again"))
        let after = load("a: &a {egress: allow, x: 1}\nn: {name: n, <<: *a, egress: deny}\n")
        XCTAssertEqual(after.errors, [])
        XCTAssertEqual(after.documents.first?.root["n"]?["egress"]?.string, "deny")
        XCTAssertEqual(after.documents.first?.root["n"]?["x"]?.int, 1)
    }

    func testErrorInOneDocumentKeepsTheOthers() {
        // The documents of a stream share one arena; the bad document's nodes are taken out of
        // it, so the documents after it still read their own text and positions.
        let result = load("a: 1\n---\nb: {x: long-enough-to-need-storage}\nb: 2\n---\nc: three\n---\n# empty\n---\nd: [4]\n")
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertEqual(result.documents.map(\.index), [0, 2, 4])
        XCTAssertEqual(result.documents.map { $0.root.entries.map { $0.key.text ?? "" } }, [["a"], ["c"], ["d"]])
        XCTAssertEqual(result.documents[1].root["c"]?.string, "three")
        XCTAssertEqual(result.documents[1].root["c"]?.line, 6)
        XCTAssertEqual(result.documents[2].root["d"]?.item(at: 0).int, 4)
        XCTAssertEqual(result.documents.map(\.nodeCount), [3, 3, 4])
        XCTAssertNil(result.documents[1].root["d"], "a key of the same length with other bytes")
    }

    func testScalarLongerThanTheRecordLimitIsAnError() {
        let long = String(repeating: "x", count: NodeRecord.maxCount + 1)
        XCTAssertEqual(error("a: \(long)\n"), "in.yaml:1:4: scalar is longer than the limit of 16777215 bytes")
        XCTAssertEqual(try single("a: \(long.dropLast())\n")["a"]?.text?.utf8.count, NodeRecord.maxCount)
    }
}

final class YAMLStreamSplitterTests: XCTestCase {
    func testPartsParseToTheSameDocumentsAndPositions() {
        var text = "# header\n"
        for index in 0..<200 {
            text += "---\n# Source: chart/templates/t\(index).yaml\nkind: K\nname: n\(index)\nvalue: |\n  ---not a marker\n  text\n"
        }
        let bytes = Array(text.utf8)
        let whole = YAMLLoader().load(bytes, file: "f")
        let parts = YAMLStreamSplitter.parts(of: bytes, targetSize: 500)
        XCTAssertGreaterThan(parts.count, 10)
        XCTAssertEqual(parts.first?.range.lowerBound, 0)
        XCTAssertEqual(parts.last?.range.upperBound, bytes.count)
        var documents: [YAMLDocument] = []
        var count = 0
        for part in parts {
            let loaded = YAMLLoader().load(bytes[part.range], file: "f", lineOffset: part.lineOffset)
            XCTAssertEqual(loaded.errors, [])
            documents += loaded.documents
            count += loaded.documentCount
        }
        XCTAssertEqual(count, whole.documentCount)
        XCTAssertEqual(documents.map { $0.root["name"]?.line }, whole.documents.map { $0.root["name"]?.line })
        XCTAssertEqual(documents.map(\.helmSource), whole.documents.map(\.helmSource))
        XCTAssertEqual(documents.map { $0.root["value"]?.string }, whole.documents.map { $0.root["value"]?.string })
    }

    func testStreamsWithDirectivesAreNotCut() {
        let text = "%YAML 1.1\n---\na: 1\n" + String(repeating: "---\nb: 2\n", count: 100)
        XCTAssertEqual(YAMLStreamSplitter.parts(of: Array(text.utf8), targetSize: 50).count, 1)
        let later = String(repeating: "---\nb: 2\n", count: 100) + "%TAG ! tag:example.com,2000:\n---\nc: 3\n"
        XCTAssertEqual(YAMLStreamSplitter.parts(of: Array(later.utf8), targetSize: 50).count, 1)
    }

    /// A `%` inside a line is text, not a directive, so the stream is still cut, and each part
    /// knows how many lines come before it.
    func testPercentInsideALineIsNotADirective() {
        let text = String(repeating: "---\nratio: 50%\nnote: \"%s\"\n", count: 100)
        let bytes = Array(text.utf8)
        let parts = YAMLStreamSplitter.parts(of: bytes, targetSize: 100)
        XCTAssertGreaterThan(parts.count, 10)
        for part in parts {
            XCTAssertEqual(part.lineOffset, bytes[..<part.range.lowerBound].filter { $0 == UInt8(ascii: "\n") }.count)
            XCTAssertEqual(Array(bytes[part.range].prefix(4)), Array("---\n".utf8))
        }
    }
}
