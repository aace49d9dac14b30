/// The maximum over windows of a value, `y_j = max_{i in windows[j]} x_i` (max-pooling), expressed exactly
/// with operators that bound propagation already handles: `max(a, b) = a + relu(b − a)`, applied as a
/// balanced tree over each window, so no new relaxation is needed and bounds stay sound.
///
/// Level by level, the elements still competing in each window (initially the window's elements) are
/// paired off; per level the steps are
///
///     first  = Selection(current)                   the first element of every pair
///     second = Selection(current)                   the second element of every pair
///     gap    = LinearCombination(second − first)
///     rise   = ReLU(gap)
///     larger = LinearCombination(first + rise)      = max(first, second)
///
/// and, when some window has an odd number of elements left, its last element skips the level:
/// `carried = Selection(current)`, `current = Concatenation(larger, carried)`. Every ReLU input is a
/// difference of two distinct elements (maxima over disjoint parts of a window), never identically zero.
/// When every window is down to one element, a final Selection puts them in output order (omitted when
/// they already are).
public enum WindowMaximum {
    /// One node of the lowering: the operator, the values it reads and a name suffix (`/max2/gap`, ...).
    public struct Step: Sendable {
        public let op: any Operator
        public let inputs: [ValueID]
        public let name: String
    }

    /// The steps computing the window maxima of value `x` (of `inputSize` elements). Step `k` produces
    /// value `firstValue + k` (the steps are meant to be appended to a network in order). `output` is the
    /// value holding `y` (in window order): the last step's, or `x` itself when every window is the
    /// single element at its own position. Every window must be non-empty, with indices in `0 ..< inputSize`.
    public static func steps(input x: ValueID, inputSize: Int, windows: [[Int]], firstValue: ValueID)
        -> (steps: [Step], output: ValueID) {
        precondition(windows.allSatisfy { !$0.isEmpty }, "WindowMaximum: empty window")
        var steps = [Step]()
        func add(_ op: any Operator, _ inputs: [ValueID], _ name: String) -> ValueID {
            steps.append(Step(op: op, inputs: inputs, name: name))
            return firstValue + steps.count - 1
        }
        var current = x, currentSize = inputSize
        var slots = windows
        var level = 0
        while slots.contains(where: { $0.count > 1 }) {
            level += 1
            var first = [Int](), second = [Int](), carried = [Int]()
            var next = [[Int]]()
            next.reserveCapacity(slots.count)
            for window in slots {
                var positions = [Int]()
                var i = 0
                while i + 1 < window.count {
                    first.append(window[i])
                    second.append(window[i + 1])
                    positions.append(first.count - 1)
                    i += 2
                }
                if i < window.count {
                    carried.append(window[i])
                    positions.append(-carried.count)  // resolved below, once the number of pairs is known
                }
                next.append(positions)
            }
            let pairs = first.count
            slots = next.map { $0.map { $0 >= 0 ? $0 : pairs - $0 - 1 } }
            let prefix = "/max\(level)"
            let a = add(Selection(inputSize: currentSize, indices: first), [current], prefix + "/first")
            let b = add(Selection(inputSize: currentSize, indices: second), [current], prefix + "/second")
            let gap = add(LinearCombination(weights: [1, -1], size: pairs), [b, a], prefix + "/gap")
            let rise = add(ReLU(size: pairs), [gap], prefix + "/rise")
            let larger = add(LinearCombination(weights: [1, 1], size: pairs), [a, rise], prefix + "/larger")
            if carried.isEmpty {
                current = larger
                currentSize = pairs
            } else {
                let c = add(Selection(inputSize: currentSize, indices: carried), [current], prefix + "/carried")
                let parts: [Concatenation.Part] = [.input(blockSize: pairs), .input(blockSize: carried.count)]
                current = add(Concatenation(outer: 1, parts: parts), [larger, c], prefix + "/level")
                currentSize = pairs + carried.count
            }
        }
        let order = slots.map { $0[0] }
        if order != Array(0..<currentSize) {
            current = add(Selection(inputSize: currentSize, indices: order), [current], "")
        }
        return (steps, current)
    }
}
