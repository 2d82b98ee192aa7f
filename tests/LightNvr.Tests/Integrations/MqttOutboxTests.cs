using LightNvr.Integrations.Mqtt;

namespace LightNvr.Tests.Integrations;

/// <summary>The outbox keeps order, drops the oldest when full (counted), and wakes its reader.</summary>
public sealed class MqttOutboxTests
{
    private static MqttMessage M(int i) => MqttMessage.Text("t", i.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, false, true);

    [Fact]
    public void Messages_leave_in_the_order_they_came()
    {
        var outbox = new MqttOutbox(10);
        for (var i = 0; i < 5; i++)
        {
            outbox.Enqueue(M(i));
        }
        var seen = new List<string>();
        while (outbox.TryDequeue(out var m))
        {
            seen.Add(m.PayloadText);
        }
        Assert.Equal(["0", "1", "2", "3", "4"], seen);
        Assert.Equal(0, outbox.Dropped);
    }

    [Fact]
    public void A_full_outbox_drops_the_oldest_and_counts_it()
    {
        var outbox = new MqttOutbox(3);
        for (var i = 0; i < 7; i++)
        {
            outbox.Enqueue(M(i));
        }
        Assert.Equal(3, outbox.Count);
        Assert.Equal(4, outbox.Dropped);
        Assert.Equal(7, outbox.Enqueued);
        var seen = new List<string>();
        while (outbox.TryDequeue(out var m))
        {
            seen.Add(m.PayloadText);
        }
        Assert.Equal(["4", "5", "6"], seen);
    }

    [Fact]
    public async Task Enqueue_wakes_a_waiting_reader_and_never_blocks()
    {
        var outbox = new MqttOutbox(2);
        var waiting = outbox.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        for (var i = 0; i < 10_000; i++)
        {
            outbox.Enqueue(M(i)); // nobody reads: each call returns at once, dropping the oldest
        }
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(9_998, outbox.Dropped);
    }

    [Fact]
    public async Task A_wait_with_nothing_new_waits_until_cancelled()
    {
        var outbox = new MqttOutbox(2);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outbox.WaitAsync(cts.Token));
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 2.0)]
    [InlineData(3, 4.0)]
    [InlineData(5, 16.0)]
    [InlineData(6, 30.0)]
    [InlineData(100, 30.0)]
    public void Backoff_doubles_from_one_second_up_to_thirty(int failures, double seconds)
    {
        Assert.Equal(seconds, MqttBackoff.Delay(failures, 0).TotalSeconds, 3);
        Assert.Equal(seconds * 1.2, MqttBackoff.Delay(failures, 1).TotalSeconds, 3);
    }
}
