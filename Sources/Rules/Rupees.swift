/// An amount in paise as people in India write it: ₹ and Indian digit grouping (lakh, crore), two decimals —
/// 295120 is "₹2,951.20", 123456789 is "₹12,34,567.89". The web client's `rupees()` writes the same.
public func rupees(_ minor: Int) -> String {
    let paise = minor.magnitude
    var whole = String(paise / 100)
    if whole.count > 3 {
        var head = String(whole.dropLast(3))
        let tail = String(whole.suffix(3))
        var groups: [String] = []
        while head.count > 2 {
            groups.insert(String(head.suffix(2)), at: 0)
            head.removeLast(2)
        }
        whole = ([head].filter { !$0.isEmpty } + groups + [tail]).joined(separator: ",")
    }
    let fraction = paise % 100
    return "\(minor < 0 ? "−" : "")₹\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
}
