// libFuzzer target: the Kubernetes quantity parser of the CEL library, comparison of what it
// parses, and agreement of the syntax-only isQuantity() check with the parser.
import CEL

let reference = try? CELQuantity.parse("1Gi").get()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuantity(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parsed = CELQuantity.parse(text)
    var isMalformed = false
    if case .failure(.malformed) = parsed { isMalformed = true }
    precondition(CELQuantity.isValid(text) == !isMalformed, "isQuantity and quantity disagree on \(text.debugDescription)")
    if case .success(let quantity) = parsed {
        _ = quantity.celStringValue
        _ = quantity.decimalValue
        if let reference {
            _ = quantity.compare(to: reference)
            _ = quantity.isEqual(to: reference)
        }
        precondition(quantity.compare(to: quantity) == 0, "a quantity differs from itself: \(text.debugDescription)")
    }
    return 0
}
