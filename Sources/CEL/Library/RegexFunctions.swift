import CPCRE2

/// A compiled PCRE2 pattern (UTF mode, JIT when available). Immutable after creation, so
/// one instance is shared by all threads; match data is allocated per match. Subjects are
/// matched without PCRE2's UTF-8 check: they are Swift strings, always valid UTF-8, and starts
/// are code point boundaries (the check read the whole subject at every match, which made
/// `findAll` quadratic in the subject's length).
final class CompiledRegex: @unchecked Sendable {
    private let code: OpaquePointer
    private let matchContext: OpaquePointer?

    /// Backtracking budget per match; exceeding it is an evaluation error, not a hang.
    static let matchLimit: UInt32 = 1_000_000
    static let depthLimit: UInt32 = 10_000
    private static let matchOptions = UInt32(PCRE2_NO_UTF_CHECK)

    init(pattern: String) throws(CELEvalError) {
        let translated: String
        switch RE2Syntax.pcre2Pattern(for: pattern) {
        case .success(let text): translated = text
        case .failure(let problem): throw CELEvalError("invalid regex '\(pattern)': \(problem.reason)")
        }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(translated.utf8)
        // RE2 semantics where PCRE2 allows: UTF-8 code points (UTF), ASCII-only \d \w \s \b
        // (no UCP), and `$` matching only at the very end unless (?m) (DOLLAR_ENDONLY).
        let options = UInt32(PCRE2_UTF) | UInt32(PCRE2_DOLLAR_ENDONLY) | UInt32(PCRE2_NO_UTF_CHECK)
        let compiled = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress ?? UnsafePointer(bitPattern: 1), buf.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            var message = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &message, message.count)
            let text = n > 0 ? String(decoding: message[0..<Int(n)], as: UTF8.self) : "error \(errorCode)"
            // An offset into the pattern as rewritten for PCRE2 would point elsewhere in the original.
            let place = translated == pattern ? " at offset \(errorOffset)" : ""
            throw CELEvalError("invalid regex '\(pattern)': \(text)\(place)")
        }
        code = compiled
        _ = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE))
        matchContext = pcre2_match_context_create_8(nil)
        if let matchContext {
            pcre2_set_match_limit_8(matchContext, Self.matchLimit)
            pcre2_set_depth_limit_8(matchContext, Self.depthLimit)
        }
    }

    deinit {
        if let matchContext { pcre2_match_context_free_8(matchContext) }
        pcre2_code_free_8(code)
    }

    /// Whether the pattern matches anywhere in `subject` (reads the string's UTF-8 in place).
    func matches(_ subject: String) throws(CELEvalError) -> Bool {
        guard let md = pcre2_match_data_create_from_pattern_8(code, nil) else {
            throw CELEvalError("regex: out of memory")
        }
        defer { pcre2_match_data_free_8(md) }
        let rc = subject.utf8.withContiguousStorageIfAvailable { buf in
            pcre2_match_8(code, buf.baseAddress ?? UnsafePointer(bitPattern: 1), buf.count, 0, Self.matchOptions, md, matchContext)
        } ?? Array(subject.utf8).withUnsafeBufferPointer { buf in
            pcre2_match_8(code, buf.baseAddress ?? UnsafePointer(bitPattern: 1), buf.count, 0, Self.matchOptions, md, matchContext)
        }
        return try check(rc)
    }

    private func check(_ rc: Int32) throws(CELEvalError) -> Bool {
        if rc == PCRE2_ERROR_NOMATCH { return false }
        if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT
            || rc == PCRE2_ERROR_HEAPLIMIT
        {
            throw CELEvalError("regex match limit exceeded", kind: .regexMatchLimitExceeded)
        }
        if rc < 0 { throw CELEvalError("regex match failed (code \(rc))") }
        return true
    }

    /// Byte range of the first match at or after `start`, nil for no match. `subject` must be
    /// valid UTF-8 and `start` a code point boundary (see above).
    func firstMatch(in subject: [UInt8], from start: Int = 0) throws(CELEvalError) -> Range<Int>? {
        guard let md = pcre2_match_data_create_from_pattern_8(code, nil) else {
            throw CELEvalError("regex: out of memory")
        }
        defer { pcre2_match_data_free_8(md) }
        let rc = subject.withUnsafeBufferPointer { buf in
            pcre2_match_8(code, buf.baseAddress ?? UnsafePointer(bitPattern: 1), buf.count, start, Self.matchOptions, md, matchContext)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT
            || rc == PCRE2_ERROR_HEAPLIMIT
        {
            throw CELEvalError("regex match limit exceeded", kind: .regexMatchLimitExceeded)
        }
        if rc < 0 { throw CELEvalError("regex match failed (code \(rc))") }
        guard let ov = pcre2_get_ovector_pointer_8(md) else { throw CELEvalError("regex: no match data") }
        return Int(ov[0])..<Int(ov[1])
    }
}

/// Patterns read at evaluation time (a constant one is compiled with its expression), each
/// compiled once while it is read, shared by all programs. Kept by their bytes: Swift's `==` would
/// take a pattern of the Kelvin sign for one of `K`.
enum RegexCache {
    private static let compiled = RecentResults<Result<CompiledRegex, CELEvalError>>()

    static func regex(_ pattern: String) throws(CELEvalError) -> CompiledRegex {
        try compiled.value(of: pattern) { pattern in
            do throws(CELEvalError) {
                return .success(try CompiledRegex(pattern: pattern))
            } catch {
                return .failure(error)
            }
        }.get()
    }
}

/// `matches` (standard) and the Kubernetes regex library (`find`, `findAll`).
enum RegexFunctions {
    static func matches(_ s: String, _ pattern: String) -> CELValue {
        do {
            return matches(s, try RegexCache.regex(pattern))
        } catch {
            return .error(error)
        }
    }

    static func matches(_ s: String, _ re: CompiledRegex) -> CELValue {
        do {
            return .bool(try re.matches(s))
        } catch {
            return .error(error)
        }
    }

    static func findAll(_ s: String, _ pattern: String, limit: Int64) -> CELValue {
        do {
            return findAll(s, try RegexCache.regex(pattern), limit: limit)
        } catch {
            return .error(error)
        }
    }

    static func findAll(_ s: String, _ re: CompiledRegex, limit: Int64) -> CELValue {
        do {
            let bytes = Array(s.utf8)
            var out: [CELValue] = []
            var pos = 0
            var previousEnd = -1
            while pos <= bytes.count, limit < 0 || out.count < limit {
                guard let r = try re.firstMatch(in: bytes, from: pos) else { break }
                // As Go's FindAllString: an empty match right after the previous match is not
                // one (`'aaa'.findAll('a*')` is `['aaa']`).
                if !(r.isEmpty && r.lowerBound == previousEnd) {
                    out.append(.string(String(decoding: bytes[r], as: UTF8.self)))
                }
                previousEnd = r.upperBound
                if r.isEmpty {
                    // Step over one UTF-8 scalar after an empty match.
                    var next = r.upperBound + 1
                    while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
                    pos = next
                } else {
                    pos = r.upperBound
                }
            }
            return .list(CELList(out))
        } catch {
            return .error(error)
        }
    }

    /// An implementation specialized for a constant pattern compiled at plan time.
    static func specialized(_ name: String, _ re: CompiledRegex) -> CELFunctionImpl? {
        switch name {
        case "matches":
            return { a in
                guard case .string(let s) = a[0] else { return noSuchOverload(name, a) }
                return matches(s, re)
            }
        case "find":
            return { a in
                guard case .string(let s) = a[0] else { return noSuchOverload(name, a) }
                let r = findAll(s, re, limit: 1)
                if case .list(let l) = r { return l.count > 0 ? l[0] : .string("") }
                return r
            }
        case "findAll":
            return { a in
                guard case .string(let s) = a[0] else { return noSuchOverload(name, a) }
                if a.count == 3 {
                    guard case .int(let n) = a[2] else { return noSuchOverload(name, a) }
                    return findAll(s, re, limit: n)
                }
                return findAll(s, re, limit: -1)
            }
        default:
            return nil
        }
    }

    static func register(_ t: inout FunctionTable) {
        t.addBoth("matches", 2, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let p) = a[1] else { return noSuchOverload("matches", a) }
            return matches(s, p)
        }
        t.addReceiver("find", 2, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let p) = a[1] else { return noSuchOverload("find", a) }
            let r = findAll(s, p, limit: 1)
            if case .list(let l) = r { return l.count > 0 ? l[0] : .string("") }
            return r
        }
        t.addReceiver("findAll", 2, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let p) = a[1] else { return noSuchOverload("findAll", a) }
            return findAll(s, p, limit: -1)
        }
        t.addReceiver("findAll", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let p) = a[1], case .int(let n) = a[2] else {
                return noSuchOverload("findAll", a)
            }
            return findAll(s, p, limit: n)
        }
    }
}
