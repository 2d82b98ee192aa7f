using LightNvr.Data;

namespace LightNvr.Events;

/// <summary>The event loop: one task, the only one that touches <see cref="EventTracker"/> state (under its lock for readers).</summary>
public sealed partial class EventService
{
    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (true)
        {
            await ExpireAsync().ConfigureAwait(false);
            DateTimeOffset? due;
            lock (_tracker)
            {
                due = _tracker.NextDue;
            }

            if (!reader.TryRead(out var command))
            {
                var wait = due is { } d ? d - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
                if (wait != Timeout.InfiniteTimeSpan && wait <= TimeSpan.Zero)
                {
                    continue;
                }
                using var timeout = new CancellationTokenSource(wait, _time);
                try
                {
                    if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        return; // completed: shutdown
                    }
                }
                catch (OperationCanceledException)
                {
                    continue; // an event is due
                }
                continue;
            }

            try
            {
                await HandleAsync(command).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a database error loses one write, never the spine
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(e.Message);
            }
        }
    }

    private async Task ExpireAsync()
    {
        List<OpenEvent> ended;
        lock (_tracker)
        {
            ended = _tracker.Expire(_time.GetUtcNow());
        }
        foreach (var e in ended)
        {
            try
            {
                await EndAsync(e, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(ex.Message);
            }
        }
    }

    private async Task HandleAsync(EventCommand command)
    {
        switch (command)
        {
            case EventCommand.Observe o:
                await ObserveAsync(o.Observation, o.HoldUntil, o.Tags).ConfigureAwait(false);
                break;
            case EventCommand.Release r:
                List<OpenEvent> released;
                lock (_tracker)
                {
                    released = _tracker.Release(r.Stream, r.Source, r.Label, r.At);
                }
                foreach (var e in released)
                {
                    await _events.UpdateAsync(e.ToRecord(ended: false)).ConfigureAwait(false);
                }
                break;
            case EventCommand.Attach a:
                await AttachAsync(a).ConfigureAwait(false);
                break;
        }
    }

    private async Task ObserveAsync(Observation o, DateTimeOffset? holdUntil, IReadOnlyList<string>? tags)
    {
        TimeSpan? post = null;
        bool known;
        lock (_tracker)
        {
            known = _tracker.IsOpen(new EventKey(o.Stream, o.Source, o.Label, o.Zone));
        }
        if (!known)
        {
            post = await PostBufferAsync(o.Stream).ConfigureAwait(false);
        }

        OpenEvent? e;
        bool started;
        lock (_tracker)
        {
            e = _tracker.Observe(o, post ?? TimeSpan.Zero, holdUntil, out started);
        }
        if (e is null)
        {
            return;
        }
        if (tags is { Count: > 0 })
        {
            e.Tags.UnionWith(tags);
            if (e.RecordingId is { } recording)
            {
                await _tags.BatchAsync([recording], tags, []).ConfigureAwait(false);
            }
        }

        var writeRow = _rate.TryTake(o.Stream, o.Label, o.At);
        if (writeRow)
        {
            await _detections.InsertAsync(new DetectionRow(o.Stream, o.At.ToUnixTimeSeconds(), o.Label, o.Confidence, o.Box?.X,
                o.Box?.Y, o.Box?.Width, o.Box?.Height, o.Zone, EventSources.Name(o.Source),
                IntervalEnd(o, holdUntil))).ConfigureAwait(false);
        }

        if (started)
        {
            e.Id = await _events.InsertAsync(e.ToRecord(ended: false)).ConfigureAwait(false);
            LogStarted(e.Id, o.Stream, EventSources.Name(o.Source), o.Label);
            Publish(new EventChange(EventChangeKind.Start, e.ToRecord(ended: false), o.Source));
        }
        else if (writeRow || holdUntil is not null)
        {
            var record = e.ToRecord(ended: false);
            await _events.UpdateAsync(record).ConfigureAwait(false);
            Publish(new EventChange(EventChangeKind.Update, record, o.Source));
        }
    }

    private async Task AttachAsync(EventCommand.Attach a)
    {
        OpenEvent? open;
        string[] tags = [];
        lock (_tracker)
        {
            open = _tracker.Open.FirstOrDefault(e => e.Id == a.EventId);
            if (open is not null)
            {
                open.SnapshotPath ??= a.SnapshotPath;
                open.RecordingId ??= a.RecordingId;
                tags = [.. open.Tags];
            }
        }
        await _events.AttachAsync(a.EventId, a.SnapshotPath, a.RecordingId).ConfigureAwait(false);
        if (a.RecordingId is { } recording && tags.Length > 0)
        {
            await _tags.BatchAsync([recording], tags, []).ConfigureAwait(false);
        }
        if (open is not null)
        {
            Publish(new EventChange(EventChangeKind.Update, open.ToRecord(ended: false), open.Key.Source));
        }
    }

    private async Task EndAsync(OpenEvent e, CancellationToken ct)
    {
        if (e.Id == 0)
        {
            return; // its insert failed: nothing to close
        }
        var record = e.ToRecord(ended: true);
        await _events.UpdateAsync(record, ct).ConfigureAwait(false);
        LogEnded(e.Id, e.Key.Stream, record.EndTime!.Value - record.StartTime);
        Publish(new EventChange(EventChangeKind.End, record, e.Key.Source));
    }

    /// <summary>
    /// <c>event_end_time</c> of a detections row: a pulse's end (upstream's "interval end for external motion"); none for
    /// a <c>start</c> (its end is not known yet: the hold is only a limit) or a detector's single sighting.
    /// </summary>
    private static long? IntervalEnd(Observation o, DateTimeOffset? holdUntil) =>
        holdUntil is { } hold && hold - o.At < MaxHold ? hold.ToUnixTimeSeconds() : null;

    /// <summary>The stream's <c>post_detection_buffer</c>; the server's <c>[api_detection] post_detection_buffer</c> when unknown.</summary>
    private async Task<TimeSpan> PostBufferAsync(string stream)
    {
        var config = await _streams.GetAsync(stream).ConfigureAwait(false);
        return TimeSpan.FromSeconds(config?.PostDetectionBuffer ?? _defaults.PostDetectionBuffer);
    }

    private void Publish(EventChange change)
    {
        IEventConsumer[] consumers;
        lock (_consumersLock)
        {
            consumers = _consumers;
        }
        foreach (var consumer in consumers)
        {
            try
            {
                consumer.OnEvent(change);
            }
#pragma warning disable CA1031 // one consumer's bug must not stop the others or the loop
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Id} started: {Stream} {Source} {Label}")]
    private partial void LogStarted(long id, string stream, string source, string label);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Id} ended: {Stream}, {Seconds} s")]
    private partial void LogEnded(long id, string stream, long seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events: {Reason}")]
    private partial void LogFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Events: closed {Count} events left open by the last run")]
    private partial void LogClosedAtStartup(int count);
}
