using LightNvr.Media.Mp4.Reading;

namespace LightNvr.Fuzz.Targets;

/// <summary>
/// A recording file as start-up recovery, playback and export read it (it may be cut short by a power cut, or not
/// ours). Documented outcome for bad input: <see cref="Fmp4Index.Problem"/> set, never an exception. The index must
/// stay inside the file: complete length ≤ file length, every sample and fragment within it.
/// </summary>
public static class Mp4Target
{
    public static void Run(byte[] data)
    {
        using var stream = new MemoryStream(data, writable: false);
        var index = Fmp4Reader.Read(stream);
        if (index.CompleteLength > data.Length || index.InitSegmentEnd > data.Length)
        {
            throw new FuzzInvariantException($"index reaches past the file: {index.CompleteLength} of {data.Length}");
        }

        foreach (var f in index.Fragments)
        {
            if (f.End > data.Length)
            {
                throw new FuzzInvariantException($"fragment ends at {f.End} in a file of {data.Length}");
            }
        }

        foreach (var track in index.Tracks)
        {
            foreach (var s in track.Samples)
            {
                if (s.Offset < 0 || s.Size < 0 || s.Offset + s.Size > data.Length)
                {
                    throw new FuzzInvariantException($"sample at {s.Offset}+{s.Size} outside a file of {data.Length}");
                }
            }

            _ = track.Duration;
        }
    }
}
