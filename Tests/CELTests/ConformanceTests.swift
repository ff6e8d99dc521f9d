import CEL
import Foundation
import XCTest

/// Runs the cel-spec conformance suite (JSON form in ../shared/conformance/cel).
final class ConformanceTests: XCTestCase {
    static let conformanceDir: URL = {
        // Tests/CELTests/ConformanceTests.swift -> package root
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent("../shared/conformance/cel").standardizedFileURL
    }()

    /// Features that need protobuf messages; tests using any of them are skipped.
    static let protobufFeatures: Set<String> = [
        "proto2", "proto3", "proto_message", "message_literal", "any", "wrappers", "wkt_message", "json_struct",
        "enums", "unknowns",
    ]

    /// Tests the type checker ran on, and those whose deduced type it compared.
    var typeChecked = 0
    var typesCompared = 0

    struct Outcome {
        var passed = 0
        var failed = 0
        var skippedProto = 0
        var skippedListed = 0
        var failures: [String] = []
    }

    func testConformance() throws {
        let dir = Self.conformanceDir
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw XCTSkip("conformance data not found at \(dir.path); skipping cel-spec conformance tests")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") && $0 != "index.json" }
            .sorted()
        var total = Outcome()
        var allFailures: [String] = []
        for file in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(file))
            guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            let base = String(file.dropLast(5))
            let o = runFile(base, top)
            let runnable = o.passed + o.failed
            if runnable == 0 && o.skippedListed == 0 && o.skippedProto == 0 {
                print("conformance \(file): no tests")
                continue
            }
            if runnable == 0 && o.skippedListed == 0 {
                print("conformance \(file): skipped (every test needs protobuf messages: \(o.skippedProto))")
                continue
            }
            print("conformance \(file): \(o.passed)/\(runnable) passed, \(o.skippedProto) skipped (protobuf), \(o.skippedListed) skipped (skip list)")
            total.passed += o.passed
            total.failed += o.failed
            total.skippedProto += o.skippedProto
            total.skippedListed += o.skippedListed
            allFailures += o.failures
        }
        print("conformance total: \(total.passed)/\(total.passed + total.failed) passed, \(total.skippedProto) skipped (protobuf), \(total.skippedListed) skipped (skip list)")
        print("conformance type check: \(typeChecked) tests checked, \(typesCompared) deduced types compared")
        for f in allFailures { XCTFail(f) }
    }

    func runFile(_ file: String, _ top: [String: Any]) -> Outcome {
        var o = Outcome()
        for section in top["sections"] as? [[String: Any]] ?? [] {
            let sectionName = section["name"] as? String ?? ""
            for test in section["tests"] as? [[String: Any]] ?? [] {
                let name = test["name"] as? String ?? ""
                let features = test["features"] as? [String] ?? []
                if features.contains(where: Self.protobufFeatures.contains) {
                    o.skippedProto += 1
                    continue
                }
                if ConformanceSkipList.reason(file: file, section: sectionName, test: name) != nil {
                    o.skippedListed += 1
                    continue
                }
                if let failure = runTest(test) {
                    o.failed += 1
                    o.failures.append("\(file)/\(sectionName)/\(name): \(failure)\n  expr: \(test["expr"] as? String ?? "")")
                } else {
                    o.passed += 1
                }
            }
        }
        return o
    }

    /// Returns nil on success, else a failure description.
    func runTest(_ test: [String: Any]) -> String? {
        let expr = test["expr"] as? String ?? ""
        var env = CELEnvironment(container: test["container"] as? String ?? "")
        env.macrosEnabled = !(test["disableMacros"] as? Bool ?? false)
        env.allowUnresolvedReferences = test["disableCheck"] as? Bool ?? false
        var bindings: [String: CELValue] = [:]
        for decl in test["typeEnv"] as? [[String: Any]] ?? [] where decl["ident"] != nil {
            if let n = decl["name"] as? String { env.declare(n) }
        }
        for (k, v) in test["bindings"] as? [String: Any] ?? [:] {
            env.declare(k)
            guard let value = try? Self.decode(v) else { return "cannot decode binding \(k)" }
            bindings[k] = value
        }
        let expectError = test["evalError"] != nil
        var expected: CELValue?
        if let v = test["value"] {
            expected = try? Self.decode(v)
            if expected == nil { return "cannot decode expected value" }
        } else if let tr = test["typedResult"] as? [String: Any] {
            guard let v = tr["value"] else { return "type-only result needs a type checker; add it to ConformanceSkipList" }
            expected = try? Self.decode(v)
        }
        let program: CELProgram
        do {
            program = try env.compile(expr)
        } catch {
            return expectError ? nil : "compile error: \(error.rendered)"
        }
        if !env.allowUnresolvedReferences, let failure = checkTypes(test, env: env) { return failure }
        let result = program.evaluate(bindings, costLimit: 10_000_000)
        if expectError {
            if case .error = result { return nil }
            return "expected an error, got \(result)"
        }
        guard let expected else { return nil }
        if Self.strictEqual(result, expected) { return nil }
        return "expected \(expected), got \(result)"
    }

    /// The type checker on a test cel-go checks: it must not refuse it, and a type it deduces
    /// without `dyn` in it must be the one the test expects.
    func checkTypes(_ test: [String: Any], env: CELEnvironment) -> String? {
        var env = env
        env.checksTypes = true
        for decl in test["typeEnv"] as? [[String: Any]] ?? [] {
            guard let name = decl["name"] as? String, let ident = decl["ident"] as? [String: Any], let spelled = ident["celType"] as? String
            else { continue }
            env.declaredTypes[name] = Self.staticType(spelled)
        }
        let program: CELProgram
        do {
            program = try env.compile(test["expr"] as? String ?? "")
        } catch {
            return "the type checker refused it: \(error.rendered)"
        }
        typeChecked += 1
        guard let typed = test["typedResult"] as? [String: Any], let expected = typed["deducedCelType"] as? String,
            !program.resultType.description.contains("dyn")
        else { return nil }
        typesCompared += 1
        return program.resultType == Self.staticType(expected) ? nil : "the type checker deduced \(program.resultType), not \(expected)"
    }

    /// A type as the suite spells it (`int`, `list(int)`, `map(string, dyn)`); what the checker
    /// does not model (messages, optionals, type parameters) is `dyn`.
    static func staticType(_ spelled: String) -> CELStaticType {
        let text = spelled.trimmingCharacters(in: .whitespaces)
        let simple: [String: CELStaticType] = [
            "int": .int, "uint": .uint, "double": .double, "bool": .bool, "string": .string, "bytes": .bytes,
            "null_type": .null, "google.protobuf.Timestamp": .timestamp, "google.protobuf.Duration": .duration,
        ]
        if let type = simple[text] { return type }
        if text.hasPrefix("type(") || text == "type" { return .type }
        guard text.hasSuffix(")"), let open = text.firstIndex(of: "(") else { return .dyn }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        switch text[..<open] {
        case "list": return .list(staticType(inner))
        case "map":
            // The key is a simple type: the first comma splits.
            guard let comma = inner.firstIndex(of: ",") else { return .dyn }
            return .map(staticType(String(inner[..<comma])), staticType(String(inner[inner.index(after: comma)...])))
        default: return .dyn
        }
    }

    /// Type-strict comparison (1 and 1u differ), maps order-independent, NaN matches NaN.
    static func strictEqual(_ a: CELValue, _ b: CELValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.uint(let x), .uint(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.string(let x), .string(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            return (0..<x.count).allSatisfy { strictEqual(x[$0], y[$0]) }
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            for k in y.keys {
                guard let xv = x.keys.first(where: { strictEqual($0, k) }).flatMap({ x.value(forKey: $0) }),
                    let yv = y.value(forKey: k), strictEqual(xv, yv)
                else { return false }
            }
            return true
        case (.type(let x), .type(let y)): return x == y
        case (.duration(let x), .duration(let y)): return x == y
        case (.timestamp(let x), .timestamp(let y)): return x == y
        case (.optional(let x), .optional(let y)):
            switch (x, y) {
            case (nil, nil): return true
            case (let x?, let y?): return strictEqual(x, y)
            default: return false
            }
        default: return false
        }
    }

    struct DecodeError: Error {}

    /// Decodes a tagged JSON value (see the conformance README).
    static func decode(_ any: Any) throws -> CELValue {
        guard let obj = any as? [String: Any], let (tag, v) = obj.first else { throw DecodeError() }
        switch tag {
        case "null": return .null
        case "bool": return .bool(v as? Bool ?? false)
        case "int64":
            guard let s = v as? String, let i = Int64(s) else { throw DecodeError() }
            return .int(i)
        case "uint64":
            guard let s = v as? String, let u = UInt64(s) else { throw DecodeError() }
            return .uint(u)
        case "double":
            if let s = v as? String {
                switch s {
                case "NaN": return .double(.nan)
                case "Infinity": return .double(.infinity)
                case "-Infinity": return .double(-.infinity)
                default: throw DecodeError()
                }
            }
            guard let n = v as? NSNumber else { throw DecodeError() }
            return .double(n.doubleValue)
        case "string": return .string(v as? String ?? "")
        case "bytes":
            guard let s = v as? String, let d = Data(base64Encoded: s) else { throw DecodeError() }
            return .bytes(Array(d))
        case "list":
            return .list(try (v as? [Any] ?? []).map(decode))
        case "map":
            var entries: [(CELValue, CELValue)] = []
            for e in v as? [[String: Any]] ?? [] {
                entries.append((try decode(e["key"] as Any), try decode(e["value"] as Any)))
            }
            return .map(CELMap(entries))
        case "type": return .type(CELType(v as? String ?? ""))
        case "duration":
            guard let s = v as? String, case .duration(let d) = CELEnvironmentTestHelper.eval("duration('\(s)')") else {
                throw DecodeError()
            }
            return .duration(d)
        case "timestamp":
            guard let s = v as? String, case .timestamp(let t) = CELEnvironmentTestHelper.eval("timestamp('\(s)')") else {
                throw DecodeError()
            }
            return .timestamp(t)
        default:
            throw DecodeError()
        }
    }
}

enum CELEnvironmentTestHelper {
    static func eval(_ expr: String, _ bindings: [String: CELValue] = [:]) -> CELValue {
        var env = CELEnvironment()
        for k in bindings.keys { env.declare(k) }
        do {
            return try env.compile(expr).evaluate(bindings)
        } catch {
            return .err("compile: \(error.message)")
        }
    }
}
