// libFuzzer target: the Kubernetes quantity parser of the CEL library, comparison of what it
// parses, and agreement of the syntax-only isQuantity() check with the parser.
import CEL

let reference = CELQuantity.parse("1Gi")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuantity(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parsed = CELQuantity.parse(text)
    precondition(CELQuantity.isValid(text) == (parsed != nil), "isQuantity and quantity disagree on \(text.debugDescription)")
    if let quantity = parsed {
        _ = quantity.celStringValue
        if let reference {
            _ = quantity.compare(to: reference)
            _ = quantity.isEqual(to: reference)
        }
        _ = quantity.compare(to: quantity)
    }
    return 0
}
