// libFuzzer target: the Kubernetes quantity parser of the CEL library, and comparison of what it parses.
import CEL

let reference = CELQuantity.parse("1Gi")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuantity(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let quantity = CELQuantity.parse(text) {
        _ = quantity.celStringValue
        if let reference {
            _ = quantity.compare(to: reference)
            _ = quantity.isEqual(to: reference)
        }
        _ = quantity.compare(to: quantity)
    }
    return 0
}
