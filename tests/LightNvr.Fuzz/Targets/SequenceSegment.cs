using System.Buffers;

namespace LightNvr.Fuzz.Targets;

/// <summary>A linked buffer segment, to hand a parser one input as a multi-segment <see cref="ReadOnlySequence{T}"/>.</summary>
internal sealed class SequenceSegment : ReadOnlySequenceSegment<byte>
{
    private SequenceSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>The two halves as one sequence of two segments (either may be empty).</summary>
    public static ReadOnlySequence<byte> Join(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var head = new SequenceSegment(first, 0);
        var tail = new SequenceSegment(second, first.Length);
        head.Next = tail;
        return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
    }
}
