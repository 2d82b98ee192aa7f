using LightNvr.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Testing;

/// <summary>
/// The tests' one fake clock: <see cref="FakeTimeProvider"/> (time moves only by <c>Advance</c>/<c>SetUtcNow</c>,
/// timers fire then, in due order) plus the two things it lacks: a wall-clock step that leaves the monotonic clock and
/// timers alone (<see cref="StepWallClock"/>), and a count of armed timers (<see cref="ActiveTimers"/>) so a test can
/// wait until the code under test has armed one. Starts at 2026-01-01 12:00 UTC; the local zone is UTC.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>The default start: a fixed, unremarkable moment (no DST change, no month end near).</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private readonly List<TrackedTimer> _timers = [];
    private TimeSpan _wallClockStep;

    public TestClock()
        : this(DefaultStart)
    {
    }

    public TestClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Timers armed and not yet fired (one-shot), stopped or disposed.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Armed);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return base.GetUtcNow() + _wallClockStep;
        }
    }

    /// <summary>
    /// Steps the wall clock only (an NTP correction, a wrong RTC at boot): <see cref="GetUtcNow"/> jumps, timers and
    /// <see cref="FakeTimeProvider.GetTimestamp"/> do not, as the kernel's monotonic timers ignore such a step.
    /// </summary>
    public void StepWallClock(TimeSpan by)
    {
        lock (_lock)
        {
            _wallClockStep += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        lock (_lock)
        {
            _timers.Add(tracked);
        }
        tracked.Arm(dueTime, period);
        tracked.Inner = base.CreateTimer(s =>
        {
            tracked.OnFired();
            callback(s);
        }, state, dueTime, period);
        return tracked;
    }

    private sealed class TrackedTimer(TestClock owner) : ITimer
    {
        private bool _periodic;

        public ITimer Inner { get; set; } = null!;

        public bool Armed { get; private set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                Armed = dueTime != Timeout.InfiniteTimeSpan;
                _periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
            }
        }

        public void OnFired()
        {
            lock (owner._lock)
            {
                Armed = Armed && _periodic;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                Armed = false;
                owner._timers.Remove(this);
            }
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
