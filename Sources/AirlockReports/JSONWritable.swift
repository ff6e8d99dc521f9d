/// A value of a JSON-based report, written by `JSONWriter`. A model writes itself as an object
/// whose members it names in sorted key order (`"$schema"` before lowercase names, `"name"`
/// before `"namespace"`), leaving out optional members that are nil. There are no floating-point
/// numbers: no report has one, and Foundation's formatting of them would have to be matched digit
/// for digit.
protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension String: JSONWritable {
    func write(to json: inout JSONWriter) { json.string(self) }
}

extension Int: JSONWritable {
    func write(to json: inout JSONWriter) { json.integer(self) }
}

extension Int32: JSONWritable {
    func write(to json: inout JSONWriter) { json.integer(self) }
}

extension Bool: JSONWritable {
    func write(to json: inout JSONWriter) { json.bool(self) }
}

extension Array: JSONWritable where Element: JSONWritable {
    func write(to json: inout JSONWriter) { json.array(self) }
}

/// An object with the dictionary's entries as members, sorted by key.
extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            for (key, value) in sorted(by: { $0.key < $1.key }) { json.entry(key, value) }
        }
    }
}
