import AirlockCore
@testable import AirlockReports
import Foundation
import XCTest
import YAMLSource

final class ReporterUnitTests: XCTestCase {
    func testFactoryCoversEveryFormat() throws {
        // GitHub workflow commands for a clean run are legitimately empty.
        for format in ReportFormat.allCases where format != .github {
            XCTAssertFalse(try format.makeReporter().render(Fixture.emptyResult, context: Fixture.context).isEmpty, "\(format)")
        }
        XCTAssertEqual(ReportFormat(rawValue: "sarif"), .sarif)
    }

    func testSourceDateEpoch() throws {
        let now = Date(timeIntervalSince1970: 42)
        XCTAssertEqual(try ReportContext.resolveTimestamp(environment: [:], runStart: now), now)
        XCTAssertEqual(
            try ReportContext.resolveTimestamp(environment: ["SOURCE_DATE_EPOCH": "1700000000"], runStart: now),
            Date(timeIntervalSince1970: 1_700_000_000))
        XCTAssertEqual(
            try ReportContext.resolveTimestamp(environment: ["SOURCE_DATE_EPOCH": "0"], runStart: now), Date(timeIntervalSince1970: 0))
        // Only ASCII decimal digits: white space, a sign, other scripts' digits are errors.
        for bad in ["", "-1", "+1", "1.5", "soon", " 1", "1 ", "1\n", "\t1", "\u{661}", "99999999999999999999"] {
            XCTAssertThrowsError(try ReportContext.resolveTimestamp(environment: ["SOURCE_DATE_EPOCH": bad], runStart: now)) { error in
                XCTAssertEqual(error as? ReportError, .invalidSourceDateEpoch(bad))
            }
        }
        XCTAssertEqual(
            ReportError.invalidSourceDateEpoch(" 1").description,
            #"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 in ASCII digits alone, as `date +%s` writes it, got " 1""#)
        XCTAssertEqual(JUnitReporter.timestamp(Date(timeIntervalSince1970: 1_700_000_000)), "2023-11-14T22:13:20")
        XCTAssertEqual(JUnitReporter.timestamp(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00")
    }

    /// GitHub Actions and Azure Pipelines runners run `##[command]` and `##vso[command]` found
    /// anywhere in a line of a step's output, and GitHub `::command::` at its start: an image
    /// `x##vso[task.setvariable variable=PASSED]true` shown in the text report set a variable.
    func testTextReportDefusesCIRunnerCommands() throws {
        XCTAssertEqual(TextSanitizer.terminal("x##vso[task.setvariable variable=P]true"), "x##vso\\u{5B}task.setvariable variable=P]true")
        XCTAssertEqual(TextSanitizer.terminal("y##[set-output name=a;]b"), "y##\\u{5B}set-output name=a;]b")
        XCTAssertEqual(TextSanitizer.terminal("::warning::x.yaml"), "\\u{3A}:warning::x.yaml")
        XCTAssertEqual(TextSanitizer.terminal("a::b #[c] ##x[d] [e]"), "a::b #[c] ##x[d] [e]")

        let line = #"    image: "x##vso[task.setvariable variable=P]true""#
        let excerpt = SourceExcerpt(line: line, column: 30)
        XCTAssertEqual(excerpt.text, #"    image: "x##vso\u{5B}task.setvariable variable=P]true""#)
        // The caret stays under column 30's character, the `r` of `variable`, after the escape.
        XCTAssertEqual(Array(excerpt.text)[excerpt.caretPrefix.count], "r")

        var finding = Fixture.findings[0]
        finding.message = "image x##[add-mask]y is not pinned"
        finding.location = SourceSpan(file: "::error::a.yaml", line: 1, column: 1)
        let result = CheckResult(rules: Fixture.rules, findings: [finding], diagnostics: [], artifacts: [], failOn: .low)
        let text = (try? TextReporter().render(result, context: Fixture.context)) ?? ""
        XCTAssertTrue(text.contains("x##\\u{5B}add-mask]y"))
        for line in text.split(separator: "\n") {
            XCTAssertFalse(line.contains("##["), String(line))
            XCTAssertFalse(line.drop { $0 == " " }.hasPrefix("::"), String(line))
        }
    }

    func testGitHubEscaping() {
        XCTAssertEqual(GitHubReporter.escapeData("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d")
        XCTAssertEqual(GitHubReporter.escapeProperty("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae")
        let command = GitHubReporter.command(
            "error", location: SourceSpan(file: "dir,x/a:b.yaml", line: 3, column: 4, endLine: 3, endColumn: 9),
            title: "rule.id", message: "m")
        XCTAssertEqual(command, "::error file=dir%2Cx/a%3Ab.yaml,line=3,col=4,endLine=3,endColumn=9,title=rule.id::m")
        // Standard input is no file of the checkout: the annotation is the run's.
        XCTAssertEqual(
            GitHubReporter.command("warning", location: SourceSpan(file: "<stdin>", line: 7, column: 2), title: "rule.id", message: "m"),
            "::warning title=rule.id::<stdin>:7:2: m")
    }

    func testSanitizers() {
        XCTAssertEqual(TextSanitizer.xml("a\u{1}b\tc\nd\u{FFFF}"), "a\\u{1}b\tc\nd\\u{FFFF}")
        XCTAssertEqual(TextSanitizer.terminal("a\u{1B}[31mb\nc\td"), "a\\u{1B}[31mb\\u{A}c\td")
        XCTAssertEqual(TextSanitizer.xml("plain ünïcödé 検索"), "plain ünïcödé 検索")
    }

    /// DEL, C1 controls, bidirectional controls, the line and paragraph separators and characters
    /// that are never shown are escaped in the terminal and GitHub formats alike: raw, they reorder
    /// or break what is shown, or make two different texts look alike.
    func testDisplayControlsAreEscapedInTerminalAndAnnotations() {
        let hostile = ["\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{61C}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202E}",
                       "\u{2066}", "\u{2069}", "\u{2028}", "\u{2029}", "\u{1B}", "\u{FFFF}", "\u{200B}", "\u{AD}", "\u{2060}", "\u{FEFF}"]
        for character in hostile {
            let escaped = TextSanitizer.visibleEscape(character.unicodeScalars.first!)
            XCTAssertEqual(TextSanitizer.terminal("evil\(character)x"), "evil\(escaped)x")
            XCTAssertEqual(GitHubReporter.escapeData("evil\(character)x"), "evil\(escaped)x")
            XCTAssertEqual(GitHubReporter.escapeProperty("evil\(character)x"), "evil\(escaped)x")
        }
        // Text around them, tabs, and characters that merely look unusual are kept.
        for kept in ["\t", "é", "検", "\u{200C}", "\u{200D}", "\u{2027}", "\u{202F}", "\u{A0}"] {
            XCTAssertEqual(TextSanitizer.terminal("a\(kept)b"), "a\(kept)b")
            XCTAssertEqual(GitHubReporter.escapeData("a\(kept)b"), "a\(kept)b")
        }
        XCTAssertEqual(GitHubReporter.escapeData("a\nb\rc"), "a%0Ab%0Dc")
        XCTAssertEqual(TextSanitizer.terminal("a\nb\rc"), "a\\u{A}b\\u{D}c")
    }

    func testCaretIsMultibyteAndWidthAware() {
        let wide = SourceExcerpt(line: "名前: „x“", column: 5)
        XCTAssertEqual(wide.caretPrefix, "      ")
        let tabbed = SourceExcerpt(line: "\tkey: é", column: 7)
        XCTAssertEqual(tabbed.caretPrefix, "\t     ")
        let combining = SourceExcerpt(line: "e\u{301}x", column: 3)
        XCTAssertEqual(combining.caretPrefix, " ")
        let pastEnd = SourceExcerpt(line: "ab", column: 5)
        XCTAssertEqual(pastEnd.caretPrefix, "    ")
    }

    func testLongLineIsClippedAroundTheColumn() {
        let line = (0..<400).map { "k\($0): v" }.joined(separator: ", ")
        let column = line.distance(from: line.startIndex, to: line.range(of: "k200:")!.lowerBound) + 1
        let excerpt = SourceExcerpt(line: line, column: column)
        XCTAssertTrue(excerpt.text.hasPrefix(SourceExcerpt.clipMark), excerpt.text)
        XCTAssertTrue(excerpt.text.hasSuffix(SourceExcerpt.clipMark), excerpt.text)
        XCTAssertLessThanOrEqual(excerpt.text.unicodeScalars.count, SourceExcerpt.width)
        XCTAssertTrue(Array(excerpt.text.unicodeScalars).dropFirst(excerpt.caretPrefix.count).starts(with: "k200:".unicodeScalars), excerpt.text)

        // Near the start or the end only that side is cut, and the caret stays under its character.
        let head = SourceExcerpt(line: line, column: 3)
        XCTAssertFalse(head.text.hasPrefix(SourceExcerpt.clipMark))
        XCTAssertTrue(head.text.hasSuffix(SourceExcerpt.clipMark))
        XCTAssertEqual(head.caretPrefix, "  ")
        let tail = SourceExcerpt(line: line, column: line.unicodeScalars.count + 2)
        XCTAssertTrue(tail.text.hasPrefix(SourceExcerpt.clipMark))
        XCTAssertTrue(tail.text.hasSuffix("k399: v"), tail.text)
        XCTAssertEqual(tail.caretPrefix.count, tail.text.unicodeScalars.count + 1)

        // Wide characters count two cells each, escaped controls their escape's length.
        let wide = String(repeating: "名", count: 300) + "\u{1B}x"
        let clipped = SourceExcerpt(line: wide, column: 302)
        XCTAssertLessThanOrEqual(clipped.text.unicodeScalars.reduce(0) { $0 + SourceExcerpt.cells($1) }, SourceExcerpt.width)
        XCTAssertTrue(clipped.text.hasSuffix("名\\u{1B}x"), clipped.text)
        XCTAssertEqual(clipped.caretPrefix.count, clipped.text.unicodeScalars.count - 1 + clipped.text.unicodeScalars.filter { SourceExcerpt.cells($0) == 2 }.count)

        // A line that fits is shown whole.
        XCTAssertEqual(SourceExcerpt(line: "a: b", column: 4).text, "a: b")
    }

    func testFindingsOnOneLongLineGiveOutputLinearInTheirNumber() throws {
        // A compact JSON file: every finding is on line 1, 100 KB long.
        let line = String(repeating: "{\"image\": \"docker.io/x:latest\"}, ", count: 3_000)
        let findings = (0..<200).map { index in
            Finding(
                ruleID: "image-pinned", category: .registryLocality, severity: .low, message: "not pinned",
                location: SourceSpan(file: "list.json", line: 1, column: 1 + index * 500))
        }
        var context = Fixture.context
        context.sourceLines = ReportContext.sourceLines(from: ["list.json": line])
        let text = try TextReporter().render(CheckResult(rules: [], findings: findings, diagnostics: [], artifacts: []), context: context)
        XCTAssertLessThan(text.utf8.count, findings.count * 500, "excerpts must be clipped")
        XCTAssertTrue(text.contains("    1 | …"), String(text.prefix(2_000)))
    }

    /// Past the five places shown, the text report counts the others, in words that agree
    /// with the count (it said "1 more objects").
    func testTextCountsTheFoldedCopiesNotShown() throws {
        for (copies, line) in [(6, "    = also: the same in 1 more object of this controller (the JSON report lists them all, JUnit fails each)\n"),
                               (7, "    = also: the same in 2 more objects of this controller (the JSON report lists them all, JUnit fails each)\n")] {
            var finding = Fixture.imageFinding
            finding.alsoIn = (0..<copies).map { index in
                FoldedOccurrence(
                    resource: ResourceRef(apiVersion: "v1", kind: "Pod", namespace: "team-a", name: "api-\(index)"),
                    location: SourceSpan(file: "export/pods.json", line: 10 * (index + 1), column: 22), message: finding.message)
            }
            let text = try TextReporter().render(CheckResult(rules: [], findings: [finding], diagnostics: [], artifacts: []), context: Fixture.context)
            XCTAssertTrue(text.contains(line), text)
            XCTAssertEqual(text.components(separatedBy: "    = also: export/pods.json:").count - 1, 5, text)
        }
    }

    /// Kinds and namespaces come from manifests: the inventory table escapes their control
    /// characters as the text report does, so they neither break rows nor reach the terminal.
    func testInventoryTableEscapesControlCharacters() throws {
        let text = "apiVersion: v1\nkind: \"Pod\\e[2J\\nFAKE   1\"\nmetadata: {name: x, namespace: \"ns\\e[31m\\r\"}\n"
        let document = try XCTUnwrap(YAMLLoader().load(Array(text.utf8), file: "in.yaml").documents.first)
        let table = InventoryTable.render(Inventory(ManifestDecoder().resources(in: document).resources))
        XCTAssertEqual(table, """
            NAMESPACE          KIND                       COUNT
            ns\\u{1B}[31m\\u{D}  Pod\\u{1B}[2J\\u{A}FAKE   1  1
            1 resource in 1 namespace, 1 kind

            """)
    }

    /// One 1 MiB namespace padded every row to its width (212 MB for 201 namespaces): it is
    /// cut as in findings, and no column is padded beyond 63 characters.
    func testInventoryTableBoundsALongNamespace() throws {
        let long = "s" + String(repeating: "a", count: 1 << 20)
        let text = (["ns0", "ns1", long]).map { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: \($0)}\n" }.joined(separator: "---\n")
        let resources = try YAMLLoader().load(Array(text.utf8), file: "in.yaml").documents.flatMap { ManifestDecoder().resources(in: $0).resources }
        let table = InventoryTable.render(Inventory(resources))
        let padded = { (namespace: String) in namespace + String(repeating: " ", count: 63 - namespace.count) }
        XCTAssertEqual(table, padded("NAMESPACE") + "  KIND       COUNT\n"
            + padded("ns0") + "  ConfigMap  1\n" + padded("ns1") + "  ConfigMap  1\n"
            + "s" + String(repeating: "a", count: 383) + "…(1048129 bytes left out)…" + String(repeating: "a", count: 64) + "  ConfigMap  1\n"
            + "3 resources in 3 namespaces, 1 kind\n")
    }

    func testLevelsAndSeverities() {
        XCTAssertEqual(Severity.allCases.map(SARIFReporter.level), ["note", "note", "warning", "error", "error"])
        XCTAssertEqual(Severity.allCases.map(SARIFReporter.securitySeverity), [nil, "3.0", "5.5", "8.0", "9.5"])
        XCTAssertEqual(Severity.allCases.map(GitHubReporter.level), ["notice", "notice", "warning", "error", "error"])
        XCTAssertEqual(Severity.allCases.map(GitLabReporter.severity), ["info", "minor", "major", "critical", "blocker"])
        XCTAssertEqual(SARIFReporter.ruleName("classification.cross-level"), "ClassificationCrossLevel")
    }

    func testTextSummaryLine() throws {
        let text = try TextReporter().render(Fixture.resultWithoutDiagnostics, context: Fixture.context)
        XCTAssertTrue(text.contains("\n5 findings (1 critical, 1 high, 1 medium, 2 low) in 2 files; 2 suppressed; 0 errors; 1 rule not run; 1 rule from --policies evaluated no object; 2 more in owned objects, folded into these\n"), text)
        XCTAssertTrue(
            text.contains("airlock: note: rule airgap.no-ingress did not run: it applies only at tier edge, and no deployment tier was given\n"),
            text)
        XCTAssertTrue(text.hasSuffix("result: failed: findings at or above low (exit 1)\n"), text)
        XCTAssertFalse(text.contains("\u{1B}["), "no ANSI codes without colour")

        // Rules left out for one reason share a note.
        var result = Fixture.resultWithoutDiagnostics
        let reason = result.rules.first { $0.notRun != nil }?.notRun
        result.rules = result.rules.map { CheckResult.RuleRun(rule: $0.rule, evaluated: $0.evaluated, notRun: $0.rule.id.hasPrefix("quota") ? reason : $0.notRun) }
        let shared = try TextReporter().render(result, context: Fixture.context)
        XCTAssertTrue(shared.contains("airlock: note: 2 rules did not run (airgap.no-ingress, quota.required), for the same reason: it applies only at tier edge, and no deployment tier was given\n"), shared)
    }

    /// A rule of the user's own that evaluated nothing (a misspelt kind) is noted and counted,
    /// and does not change the verdict.
    func testARuleThatMatchedNothingIsNoted() throws {
        let text = try TextReporter().render(Fixture.resultWithoutDiagnostics, context: Fixture.context)
        XCTAssertTrue(text.contains("""
            airlock: note: rule airgap.no-ingress did not run: it applies only at tier edge, and no deployment tier was given

            airlock: note: rule team.deployments-owned evaluated no object: none of the 6 objects of the inputs is of its kinds (Deploymnet); did you mean Deployment?

            5 findings (1 critical, 1 high, 1 medium, 2 low) in 2 files; 2 suppressed; 0 errors; 1 rule not run; 1 rule from --policies evaluated no object; 2 more in owned objects, folded into these

            """), text)
        let json = try JSONValue.parse(try JSONReporter().render(Fixture.resultWithoutDiagnostics, context: Fixture.context))
        XCTAssertEqual(json["summary"]?["rulesMatchingNothing"], .number(1))
        XCTAssertEqual(json["summary"]?["exitCode"], .number(1))
        guard case .array(let rules)? = json["rules"] else { return XCTFail("rules must be an array") }
        XCTAssertEqual(
            rules.filter { $0["matchedNothing"] != nil }.map { [$0["id"], $0["matchedNothing"], $0["evaluated"]] },
            [[.string("team.deployments-owned"),
              .string("none of the 6 objects of the inputs is of its kinds (Deploymnet); did you mean Deployment?"), .number(0)]])
    }

    /// Standard input is no file of the checkout: SARIF gives its findings no physical location
    /// (GitHub would look for a file `<stdin>`) and its artifact a description instead of a URI.
    func testStandardInputHasNoPhysicalLocationInSARIF() throws {
        var finding = Fixture.findings[1]
        finding.location = SourceSpan(file: InputReader.standardInputName, line: 3, column: 5)
        let result = CheckResult(rules: Fixture.rules, findings: [finding], diagnostics: [],
                                 artifacts: [.init(path: InputReader.standardInputName, sha256: String(repeating: "e", count: 64))])
        let sarif = try JSONValue.parse(try SARIFReporter().render(result, context: Fixture.context))
        guard case .array(let runs)? = sarif["runs"], case .array(let results)? = runs.first?["results"],
              case .array(let artifacts)? = runs.first?["artifacts"] else { return XCTFail("no run") }
        guard case .array(let locations)? = results.first?["locations"] else { return XCTFail("the result keeps its logical location") }
        XCTAssertNil(locations.first?["physicalLocation"])
        XCTAssertNotNil(locations.first?["logicalLocations"])
        XCTAssertEqual(artifacts.first?["description"]?["text"], .string("standard input"))
        XCTAssertNil(artifacts.first?["location"])
    }

    /// SARIF 2.1.0 §3.11.5: within every message string, plain text or Markdown, a literal `{` and
    /// `}` are written `{{` and `}}`, whether or not the message has arguments; a consumer that
    /// follows the spec read `podSelector: {}` as `podSelector: }` and `{0}` as a missing argument.
    func testBracesOfSARIFMessageStringsAreDoubled() throws {
        var finding = Fixture.findings[1]
        finding.message = "value {0} of {{x}} and ${VAR}"
        var rules = Fixture.rules
        rules[0].rule.title = "Title {a}"
        rules[0].rule.description = "Description {{ .b }}"
        rules[0].rule.remediation = "Set {c: 1}"
        rules[0].rule.controls = ["ctl{d}"]
        let result = CheckResult(rules: rules, findings: [finding], diagnostics: [], artifacts: [])
        let sarif = try SARIFReporter().render(result, context: Fixture.context)
        XCTAssertTrue(sarif.contains(#"""
                  "message" : {
                    "text" : "value {{0}} of {{{{x}}}} and ${{VAR}}"
                  },
        """#), sarif)
        XCTAssertTrue(sarif.contains(#"""
                      "fullDescription" : {
                        "text" : "Description {{{{ .b }}}}"
                      },
                      "help" : {
                        "markdown" : "**Remediation:** Set {{c: 1}}\n\n**Controls:** `ctl{{d}}`",
                        "text" : "Set {{c: 1}}"
                      },
        """#), sarif)
        XCTAssertTrue(sarif.contains(#"""
                      "shortDescription" : {
                        "text" : "Title {{a}}"
                      }
        """#), sarif)
    }

    /// A cut message is cut as written: its doubled braces count, and a brace is kept whole or
    /// left out, so a rule description stays within GitHub's 1,024 characters (it passed them by
    /// as many characters as the kept part had braces).
    func testACutMessageCountsItsDoubledBraces() throws {
        var rules = Fixture.rules
        rules[0].rule.description = "Selects podSelector: {} and {x} of every namespace"
        var finding = Fixture.findings[1]
        finding.message = "a{b}c{d}e{f}g{h}"
        let result = CheckResult(rules: rules, findings: [finding], diagnostics: [], artifacts: [])
        let sarif = try SARIFReporter(maxMessageLength: 20, maxDescriptionLength: 40).render(result, context: Fixture.context)
        XCTAssertTrue(sarif.contains(#""text" : "Selects podSelector: {{}} an [truncated]""#), sarif)
        XCTAssertTrue(sarif.contains(#""text" : "a{{b}}c [truncated]""#), sarif)
    }

    /// A GitLab issue in standard input points at the project root, line 1, as one without a
    /// location does (GitLab needs a path of the repository; `<stdin>` is none), and its
    /// description starts with its place, as SARIF's and github's messages do.
    func testAGitLabIssueInStandardInputPointsAtTheProjectRoot() throws {
        var finding = Fixture.findings[1]
        finding.location = SourceSpan(file: InputReader.standardInputName, line: 3, column: 5, endLine: 4)
        let diagnostic = Diagnostic(kind: .input, message: "malformed YAML", location: SourceSpan(file: InputReader.standardInputName, line: 2, column: 1))
        let result = CheckResult(rules: Fixture.rules, findings: [finding], diagnostics: [diagnostic], artifacts: [])
        guard case .array(let issues) = try JSONValue.parse(try GitLabReporter().render(result, context: Fixture.context)) else { return XCTFail("no issues") }
        XCTAssertEqual(issues.map { $0["location"]?["path"] }, [.string("."), .string(".")])
        XCTAssertEqual(issues.map { $0["location"]?["lines"] }, Array(repeating: .object(["begin": .number(1), "end": .number(1)]), count: 2))
        XCTAssertEqual(issues.map { $0["description"] }, [
            .string("<stdin>:3:5: " + finding.messageWithObject), .string("<stdin>:2:1: airlock input error: malformed YAML"),
        ])
    }

    /// A GitLab issue in a file outside the root (given as `../other/x.yaml` or `/etc/x.yaml`)
    /// points at the project root, line 1, as one in standard input does: GitLab wants a path of
    /// the repository, and a host path such as `/etc/x.yaml` is none. Its description starts with
    /// its place. A file under the root whose name starts with `..` is one of the repository.
    func testAGitLabIssueOutsideTheRootPointsAtTheProjectRoot() throws {
        let files = ["../other/x.yaml", "..x.yaml", "/etc/x.yaml"]
        let findings = files.map { file in
            var finding = Fixture.findings[1]
            finding.location = SourceSpan(file: file, line: 3, column: 5, endLine: 4)
            return finding
        }
        let diagnostic = Diagnostic(kind: .input, message: "malformed YAML", location: SourceSpan(file: "/etc/y.yaml", line: 2, column: 1))
        let result = CheckResult(rules: Fixture.rules, findings: findings, diagnostics: [diagnostic], artifacts: [])
        guard case .array(let issues) = try JSONValue.parse(try GitLabReporter().render(result, context: Fixture.context)) else { return XCTFail("no issues") }
        XCTAssertEqual(issues.map { $0["location"]?["path"] }, [".", "..x.yaml", ".", "."].map { JSONValue.string($0) })
        XCTAssertEqual(issues.map { $0["location"]?["lines"]?["begin"] }, [1, 3, 1, 1].map { JSONValue.number($0) })
        XCTAssertEqual(issues.map { $0["location"]?["lines"]?["end"] }, [1, 4, 1, 1].map { JSONValue.number($0) })
        XCTAssertEqual(issues.map { $0["description"] }, [
            "../other/x.yaml:3:5: " + findings[0].messageWithObject, findings[0].messageWithObject,
            "/etc/x.yaml:3:5: " + findings[0].messageWithObject, "/etc/y.yaml:2:1: airlock input error: malformed YAML",
        ].map { JSONValue.string($0) })
    }

    /// With no physical location, a place in standard input starts the SARIF message, as in the
    /// github format: `helm template … | airlock check - --format sarif` lost every line and column.
    func testAPlaceInStandardInputStartsTheSARIFMessage() throws {
        var finding = Fixture.findings[1]
        finding.location = SourceSpan(file: InputReader.standardInputName, line: 3, column: 5)
        finding.relatedLocations = [RelatedLocation(message: "opens it", location: SourceSpan(file: InputReader.standardInputName, line: 9, column: 1))]
        let diagnostic = Diagnostic(kind: .input, message: "malformed YAML", location: SourceSpan(file: InputReader.standardInputName, line: 2, column: 1))
        let result = CheckResult(rules: Fixture.rules, findings: [finding], diagnostics: [diagnostic], artifacts: [])
        let sarif = try JSONValue.parse(try SARIFReporter().render(result, context: Fixture.context))
        guard case .array(let runs)? = sarif["runs"], case .array(let results)? = runs.first?["results"],
              case .array(let invocations)? = runs.first?["invocations"],
              case .array(let notifications)? = invocations.first?["toolExecutionNotifications"],
              case .array(let related)? = results.first?["relatedLocations"] else { return XCTFail("no run") }
        XCTAssertEqual(results.first?["message"]?["text"], .string("<stdin>:3:5: " + finding.message))
        XCTAssertEqual(related.last?["message"]?["text"], .string("<stdin>:9:1: opens it"))
        XCTAssertEqual(notifications.first?["message"]?["text"], .string("<stdin>:2:1: malformed YAML"))
    }

    /// A file outside the root named by an absolute path is an absolute `file` URI with no base;
    /// one named relative to the root stays relative to `%SRCROOT%`.
    func testAFileOutsideTheRootIsAnAbsoluteURIInSARIF() throws {
        var finding = Fixture.findings[1]
        (finding.helmSource, finding.relatedLocations) = (nil, [])
        finding.location = SourceSpan(file: "/srv/other dir/d.yaml", line: 3, column: 5)
        let result = CheckResult(rules: Fixture.rules, findings: [finding], diagnostics: [],
                                 artifacts: [.init(path: "/srv/other dir/d.yaml", sha256: String(repeating: "e", count: 64)),
                                             .init(path: "../hn/d.yaml", sha256: String(repeating: "f", count: 64))])
        let sarif = try JSONValue.parse(try SARIFReporter().render(result, context: Fixture.context))
        guard case .array(let runs)? = sarif["runs"], case .array(let results)? = runs.first?["results"],
              case .array(let artifacts)? = runs.first?["artifacts"], case .array(let locations)? = results.first?["locations"] else {
            return XCTFail("no run")
        }
        let location = locations.first?["physicalLocation"]?["artifactLocation"]
        XCTAssertEqual(location?["uri"], .string("file:///srv/other%20dir/d.yaml"))
        XCTAssertNil(location?["uriBaseId"])
        XCTAssertEqual(artifacts.map { $0["location"]?["uri"] }, [.string("../hn/d.yaml"), .string("file:///srv/other%20dir/d.yaml")])
        XCTAssertEqual(artifacts.map { $0["location"]?["uriBaseId"] }, [.string("%SRCROOT%"), nil])
    }

    /// Every file a location points at is an artifact of the run, read (with its hash) or not (a
    /// file of a bundle folder, a related file), and each location names its artifact by index.
    func testEveryFileALocationPointsAtIsAnIndexedArtifactInSARIF() throws {
        var finding = Fixture.findings[1]
        finding.helmSource = nil
        finding.location = SourceSpan(file: "b/manifest.yaml", line: 3, column: 5)
        finding.relatedLocations = [RelatedLocation(message: "listed here", location: SourceSpan(file: "b/images/x.tar", line: 1, column: 1))]
        let diagnostic = Diagnostic(kind: .configuration, message: "unknown field", location: SourceSpan(file: "airlock.yaml", line: 2, column: 1))
        let hash = String(repeating: "e", count: 64)
        let result = CheckResult(rules: Fixture.rules, findings: [finding], diagnostics: [diagnostic], artifacts: [.init(path: "b/manifest.yaml", sha256: hash)])
        let sarif = try JSONValue.parse(try SARIFReporter().render(result, context: Fixture.context))
        guard case .array(let runs)? = sarif["runs"], case .array(let results)? = runs.first?["results"],
              case .array(let artifacts)? = runs.first?["artifacts"], case .array(let locations)? = results.first?["locations"],
              case .array(let related)? = results.first?["relatedLocations"], case .array(let invocations)? = runs.first?["invocations"],
              case .array(let notifications)? = invocations.first?["toolExecutionNotifications"],
              case .array(let notificationLocations)? = notifications.first?["locations"] else {
            return XCTFail("no run")
        }
        XCTAssertEqual(artifacts.map { $0["location"]?["uri"] }, [.string("airlock.yaml"), .string("b/images/x.tar"), .string("b/manifest.yaml")])
        XCTAssertEqual(artifacts.map { $0["hashes"]?["sha-256"] }, [nil, nil, .string(hash)])
        XCTAssertEqual(locations.first?["physicalLocation"]?["artifactLocation"]?["index"], .number(2))
        XCTAssertEqual(related.first?["physicalLocation"]?["artifactLocation"]?["index"], .number(1))
        XCTAssertEqual(notificationLocations.first?["physicalLocation"]?["artifactLocation"]?["index"], .number(0))
    }

    /// A hostile archive entry name with a `..` or `.` segment cannot make a SARIF URI resolve to
    /// another file of the checkout: that member path's `/` are encoded. Other paths, the `../`
    /// of a file outside the root and the members of a nested archive included, are unchanged.
    func testDotSegmentsOfAnArchiveMemberCannotLeaveItInSARIF() throws {
        let sarif = try JSONValue.parse(try SARIFReporter().render(Self.archiveMemberFindings, context: Fixture.context))
        guard case .array(let runs)? = sarif["runs"], case .array(let results)? = runs.first?["results"] else { return XCTFail("no run") }
        let uris = results.map { result -> JSONValue? in
            guard case .array(let locations)? = result["locations"] else { return nil }
            return locations.first?["physicalLocation"]?["artifactLocation"]?["uri"]
        }
        XCTAssertEqual(uris, [
            "../hn/b.tar.gz%21X/charts/x.tgz%21x/values.yaml",
            "file:///srv/b.tar.gz%21X%2F..",
            "b.tar.gz%21X/..a/b..",
            "b.tar.gz%21X/charts/x.tgz%21x%2F..%2F..%2F..%2Fevil.yaml",
            "trav.tar.gz%21airgap-bundle-X%2F..%2Fevil.yaml",
            "trav.tar.gz%21airgap-bundle-X%2Fvalues%2F.%2Fvalues-tier1-edge.yaml",
        ].map { JSONValue.string($0) })
    }

    /// GitHub and GitLab take a path as it is, so an archive member whose path holds a `..` or `.`
    /// segment is placed on its archive (GitHub with no line, GitLab at line 1), and the message
    /// starts with the member's place. Other paths are unchanged, but for GitLab's outside the
    /// root (the first two), which point at the project root.
    func testDotSegmentsOfAnArchiveMemberCannotLeaveItInGitHubOrGitLab() throws {
        let github = try GitHubReporter().render(Self.archiveMemberFindings, context: Fixture.context)
        XCTAssertEqual(github.split(separator: "\n").filter { $0.hasPrefix("::error") }.map { $0.prefix { $0 != "," } }, [
            "::error file=../hn/b.tar.gz!X/charts/x.tgz!x/values.yaml",
            "::error file=/srv/b.tar.gz",
            "::error file=b.tar.gz!X/..a/b..",
            "::error file=b.tar.gz",
            "::error file=trav.tar.gz",
            "::error file=trav.tar.gz",
        ])
        XCTAssertTrue(github.contains("::error file=trav.tar.gz,title=classification.cross-level::trav.tar.gz!airgap-bundle-X/../evil.yaml:3:5: "), github)
        let gitlab = try JSONValue.parse(try GitLabReporter().render(Self.archiveMemberFindings, context: Fixture.context))
        guard case .array(let issues) = gitlab else { return XCTFail("no issues") }
        XCTAssertEqual(issues.map { $0["location"]?["path"] }, [
            ".", ".", "b.tar.gz!X/..a/b..", "b.tar.gz", "trav.tar.gz", "trav.tar.gz",
        ].map { JSONValue.string($0) })
        XCTAssertEqual(issues.map { $0["location"]?["lines"]?["begin"] }, [1, 1, 3, 1, 1, 1].map { JSONValue.number($0) })
        guard case .string(let description)? = issues[4]["description"] else { return XCTFail("no description") }
        XCTAssertTrue(description.hasPrefix("trav.tar.gz!airgap-bundle-X/../evil.yaml:3:5: "), description)
    }

    /// One finding at each of these archive member paths, in the order the reports sort them.
    private static let archiveMemberFindings: CheckResult = {
        let paths = [
            "../hn/b.tar.gz!X/charts/x.tgz!x/values.yaml",
            "/srv/b.tar.gz!X/..",
            "b.tar.gz!X/..a/b..",
            "b.tar.gz!X/charts/x.tgz!x/../../../evil.yaml",
            "trav.tar.gz!airgap-bundle-X/../evil.yaml",
            "trav.tar.gz!airgap-bundle-X/values/./values-tier1-edge.yaml",
        ]
        let findings = paths.map { path in
            var finding = Fixture.findings[1]
            finding.location = SourceSpan(file: path, line: 3, column: 5)
            return finding
        }
        return CheckResult(rules: Fixture.rules, findings: findings, diagnostics: [], artifacts: [])
    }()

    func testJSONReportShape() throws {
        let report = try JSONValue.parse(try JSONReporter().render(Fixture.result, context: Fixture.context))
        XCTAssertEqual(report["schemaVersion"], .string("1"))
        XCTAssertEqual(report["summary"]?["exitCode"], .number(2))
        XCTAssertEqual(report["summary"]?["passed"], .bool(false))
        XCTAssertEqual(report["summary"]?["suppressed"], .number(2))
        XCTAssertEqual(report["summary"]?["errors"], .number(3))
        XCTAssertEqual(report["summary"]?["bySeverity"]?["info"], .number(0))
        guard case .array(let findings)? = report["findings"], case .array(let rules)? = report["rules"] else {
            return XCTFail("findings and rules must be arrays")
        }
        XCTAssertEqual(findings.count, Fixture.findings.count)
        XCTAssertEqual(rules.count, Fixture.rules.count)
        XCTAssertEqual(report["summary"]?["rulesNotRun"], .number(1))
        let notRun = rules.filter { $0["notRun"] != nil }
        XCTAssertEqual(notRun.map { $0["id"] }, [.string("airgap.no-ingress")])
        XCTAssertEqual(notRun.first?["evaluated"], .number(0))
        // Optional fields are omitted, never null.
        XCTAssertFalse(try JSONReporter().render(Fixture.result, context: Fixture.context).contains("null"))
    }
}
