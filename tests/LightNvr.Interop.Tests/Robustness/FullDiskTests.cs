using System.Diagnostics;
using LightNvr.Data;
using LightNvr.Interop.Tests.Mp4;
using LightNvr.Interop.Tests.Recording;
using LightNvr.Interop.Tests.Support;
using LightNvr.Recording;
using Xunit.Abstractions;

namespace LightNvr.Interop.Tests.Robustness;

/// <summary>
/// A real full filesystem: an 8 MiB tmpfs mounted at <c>mp4_path/full/</c> (the folder of one stream) and nearly
/// filled, so that stream's recorder hits ENOSPC within seconds while another stream records to the healthy disk in
/// the same server. Needs root (mount); without it the test says so and does nothing.
/// </summary>
[Collection("recording")]
public sealed class FullDiskTests(ITestOutputHelper output)
{
    /// <summary>
    /// Room left on the tmpfs: two 4 s segments of the test camera (~77 KB each: its test picture needs ~19 KB/s) and
    /// a couple of seconds of the third, so the disk fills in the middle of a segment.
    /// </summary>
    private const long FreeBytes = 200 * 1024;

    [Fact]
    public async Task A_full_disk_closes_the_segment_cleanly_reports_it_and_recording_resumes_when_space_returns()
    {
        using var good = GstCamera.Start(new GstCameraOptions { Audio = "aac", Gop = 15 });
        using var filling = GstCamera.Start(new GstCameraOptions { Audio = "aac", Gop = 15 });
        await using var h = await RecordingHarness.StartAsync(
            new StreamConfig { Name = "healthy", Url = good.Url, Record = true, SegmentDuration = 4 });

        var folder = Path.Combine(h.Config.Storage.Mp4Path, "full");
        Directory.CreateDirectory(folder);
        if (Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", folder) is { } refused)
        {
            output.WriteLine("SKIPPED: cannot mount a tmpfs (needs root): " + refused);
            return;
        }

        try
        {
            var filler = Path.Combine(folder, "filler.bin");
            var free = new DriveInfo(folder).AvailableFreeSpace;
            await File.WriteAllBytesAsync(filler, new byte[free - FreeBytes]);
            var stream = new StreamConfig { Name = "full", Url = filling.Url, Record = true, SegmentDuration = 4 };
            Assert.NotNull(await h.Streams.InsertAsync(stream));
            await h.Cameras.OnStreamAddedAsync(stream, CancellationToken.None);

            // Fills up: the recorder reports it in the stream's status and keeps the process and the other stream going.
            var deadline = Environment.TickCount64 + 25_000;
            while (h.Cameras.GetStatus("full") is not { State: "Error" } status)
            {
                Assert.True(Environment.TickCount64 < deadline, "disk never reported full; status " + h.Cameras.GetStatus("full") +
                    "; rows: " + string.Join(", ", (await h.RowsAsync("full")).Select(r => $"{r.SizeBytes} {r.IsComplete}")) +
                    $"; free {new DriveInfo(folder).AvailableFreeSpace}");
                await Task.Delay(200);
            }

            var failedAt = Environment.TickCount64;
            output.WriteLine($"status: {h.Cameras.GetStatus("full")}");
            Assert.Contains("No space left", h.Cameras.GetStatus("full").ErrorMessage, StringComparison.Ordinal);
            Assert.Equal("Running", h.Cameras.GetStatus("healthy").State);

            // The segment being written is closed: its row is complete, its size is the file's, it decodes, and its
            // end time is the file's real end (start + the media that made it to disk).
            var rows = await h.RowsAsync("full");
            Assert.NotEmpty(rows);
            foreach (var r in rows)
            {
                Assert.True(r.IsComplete && r.EndTime is not null, "row left open: " + r.FilePath);
                Assert.Equal(new FileInfo(r.FilePath).Length, r.SizeBytes);
                Assert.Equal("", Ffmpeg.DecodeErrors(r.FilePath));
                var kept = Ffmpeg.FormatDuration(r.FilePath);
                var said = (r.EndTime!.Value - r.StartTime).TotalSeconds;
                output.WriteLine($"{Path.GetFileName(r.FilePath)}: {r.SizeBytes} bytes, file {kept:F2} s, row {said:F0} s");
                Assert.InRange(said, kept - 1, kept + 1); // rows store whole seconds
            }

            // Space comes back: recording resumes by itself within RetryAfterError (+ a keyframe, on a busy box).
            File.Delete(filler);
            var before = rows.Count;
            deadline = failedAt + (long)(StreamRecorder.RetryAfterError + TimeSpan.FromSeconds(5)).TotalMilliseconds;
            while ((await h.RowsAsync("full")).Count <= before || h.Cameras.GetStatus("full").State != "Running")
            {
                Assert.True(Environment.TickCount64 < deadline, "no new segment after space returned; status " + h.Cameras.GetStatus("full"));
                await Task.Delay(200);
            }

            await Task.Delay(1500);
            await h.StopAsync();
            foreach (var r in await h.RowsAsync("full"))
            {
                Assert.True(r.IsComplete, r.FilePath);
                Assert.Equal("", Ffmpeg.DecodeErrors(r.FilePath));
            }

            var healthy = await h.RowsAsync("healthy");
            Assert.True(healthy.Count(r => r.IsComplete) >= 3, $"healthy stream: {healthy.Count} segments");
            Assert.All(healthy, r => Assert.Equal("", Ffmpeg.DecodeErrors(r.FilePath)));
        }
        finally
        {
            await h.StopAsync();
            Run("umount", "-l", folder);
        }
    }

    /// <summary>Runs a command; null on success, else what it said.</summary>
    private static string? Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"{tool} exit {p.ExitCode}: {err.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
