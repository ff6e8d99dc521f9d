/// The object types of an inventory (each distinct `apiVersion` and kind, numbered in the order
/// they first appear) and the type of each object. What depends only on an object's type (which
/// policies match its kind, whether a rule has anything to run on) is then found once per type,
/// and looked up per object by position rather than by hashing two strings.
struct TypeIndex: Sendable {
    /// The position of the first object of each type.
    let representatives: [UInt32]
    /// The type number of each object, by position.
    private let typeOfObject: [UInt32]

    private struct TypeKey: Hashable {
        let apiVersion: String
        let kind: String
    }

    init(_ resources: [Resource]) {
        var numbers: [TypeKey: UInt32] = [:]
        var representatives: [UInt32] = []
        var typeOfObject: [UInt32] = []
        typeOfObject.reserveCapacity(resources.count)
        for (position, resource) in resources.enumerated() {
            // Objects of one type mostly come together: comparing with the last costs less than hashing.
            if let last = typeOfObject.last, resources[position - 1].kind == resource.kind, resources[position - 1].apiVersion == resource.apiVersion {
                typeOfObject.append(last)
                continue
            }
            let key = TypeKey(apiVersion: resource.apiVersion, kind: resource.kind)
            if let number = numbers[key] {
                typeOfObject.append(number)
            } else {
                let number = UInt32(representatives.count)
                numbers[key] = number
                representatives.append(UInt32(position))
                typeOfObject.append(number)
            }
        }
        self.representatives = representatives
        self.typeOfObject = typeOfObject
    }

    /// The number of distinct types.
    var count: Int { representatives.count }

    /// The type number (0 ..< count) of the object at `position`.
    func type(ofObjectAt position: Int) -> Int { Int(typeOfObject[position]) }
}
