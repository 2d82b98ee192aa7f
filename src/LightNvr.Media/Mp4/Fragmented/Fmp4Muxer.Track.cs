using System.Buffers;
using LightNvr.Media.Mp4.Boxes;

namespace LightNvr.Media.Mp4.Fragmented;

public sealed partial class Fmp4Muxer
{
    /// <summary>One track's buffered samples: completed ones (duration known) and the held newest frame.</summary>
    private sealed class TrackState : IDisposable
    {
        /// <summary>Duration used when a track's first and only frame is flushed: 1/30 s (video) or 1024 samples (AAC).</summary>
        private const int FallbackVideoDivisor = 30;

        /// <summary>
        /// A DTS step longer than this (or backwards) is a timestamp jump, not a sample duration: cameras send video at
        /// ≥ 1 frame/s and audio every ≤ 100 ms. Such a sample gets the track's typical duration instead.
        /// </summary>
        private const int MaxSampleDurationSeconds = 10;

        private readonly uint _trackId;
        private long _base;
        private bool _baseKnown;
        private FragmentSample[] _samples = ArrayPool<FragmentSample>.Shared.Rent(64);
        private MediaFrame[] _frames = ArrayPool<MediaFrame>.Shared.Rent(64);
        private long _firstDecodeTime;
        private long _nextDecodeTime = -1;
        private long _bufferedTicks;
        private uint _lastDuration;

        public TrackState(MediaTrack track, uint trackId, long? startDts)
        {
            Track = track;
            _trackId = trackId;
            if (startDts is { } s)
            {
                _base = s;
                _baseKnown = true;
            }
        }

        public MediaTrack Track { get; set; }

        public MediaFrame? Held { get; set; }

        public int Count { get; private set; }

        public TimeSpan BufferedDuration => TimeSpan.FromSeconds((double)_bufferedTicks / Track.ClockRate);

        public void Add(MediaFrame frame, long wallClockOrigin)
        {
            if (!_baseKnown)
            {
                var lateMs = Math.Max(0, frame.WallClockUnixMs - wallClockOrigin);
                _base = frame.Dts - (lateMs * Track.ClockRate / 1000);
                _baseKnown = true;
            }

            if (Held is not null)
            {
                var delta = frame.Dts - Held.Dts;
                var duration = delta >= 0 && delta <= (long)Track.ClockRate * MaxSampleDurationSeconds
                    ? (uint)delta
                    : TypicalDuration(Held); // a timestamp jump: keep the output timeline continuous
                Complete(Held, duration);
            }

            Held = frame;
        }

        /// <summary>Final flush: the held frame gets the last known duration (or a typical one).</summary>
        public void CompleteHeld()
        {
            if (Held is null)
            {
                return;
            }

            Complete(Held, TypicalDuration(Held));
            Held = null;
        }

        public TrackFragment GetRun()
        {
            var decodeTime = (ulong)_firstDecodeTime;
            return new TrackFragment(_trackId, decodeTime, new ArraySegment<FragmentSample>(_samples, 0, Count),
                Track.Kind == MediaKind.Video);
        }

        public Fmp4FragmentInfo Describe(uint sequence, int size)
        {
            var start = TimeSpan.FromSeconds((double)_firstDecodeTime / Track.ClockRate);
            return new Fmp4FragmentInfo(sequence, size, start, BufferedDuration, Count > 0 && _samples[0].IsSync);
        }

        public int WriteSampleData(Span<byte> destination)
        {
            var pos = 0;
            for (var i = 0; i < Count; i++)
            {
                pos += ParameterSetFilter.CopyFiltered(_frames[i].Data.Span, Track.Codec, destination[pos..]);
            }

            return pos;
        }

        public void Clear()
        {
            Array.Clear(_frames, 0, Count);
            Count = 0;
            _bufferedTicks = 0;
        }

        public void Dispose()
        {
            Clear();
            ArrayPool<FragmentSample>.Shared.Return(_samples);
            ArrayPool<MediaFrame>.Shared.Return(_frames);
            _samples = [];
            _frames = [];
        }

        private uint TypicalDuration(MediaFrame frame) =>
            _lastDuration != 0 ? _lastDuration
            : Track.Kind == MediaKind.Video ? (uint)(Track.ClockRate / FallbackVideoDivisor)
            : Track.Codec == MediaCodec.Aac ? 1024u
            : Track.Codec == MediaCodec.Opus ? (uint)(Track.ClockRate / 50) // 20 ms, the usual Opus frame
            : (uint)frame.Data.Length; // G.711: one byte per sample

        private void Complete(MediaFrame frame, uint duration)
        {
            if (Count == MaxSamplesPerFragment)
            {
                throw new InvalidOperationException($"More than {MaxSamplesPerFragment} samples buffered: flush fragments");
            }

            if (Count == _samples.Length)
            {
                Grow();
            }

            if (Count == 0)
            {
                // Decode time runs on from the previous sample (so a backward DTS jump cannot make fragments
                // overlap); only the very first sample takes it from its DTS.
                if (_nextDecodeTime < 0)
                {
                    _nextDecodeTime = Math.Max(0, frame.Dts - _base);
                }

                _firstDecodeTime = _nextDecodeTime;
            }

            var size = ParameterSetFilter.GetFilteredSize(frame.Data.Span, Track.Codec);
            var sync = Track.Kind != MediaKind.Video || frame.IsKeyFrame;
            _samples[Count] = new FragmentSample(duration, size, sync, frame.CompositionOffset);
            _frames[Count] = frame;
            Count++;
            _bufferedTicks += duration;
            _lastDuration = duration;
            _nextDecodeTime += duration;
        }

        private void Grow()
        {
            var samples = ArrayPool<FragmentSample>.Shared.Rent(_samples.Length * 2);
            var frames = ArrayPool<MediaFrame>.Shared.Rent(_frames.Length * 2);
            _samples.AsSpan(0, Count).CopyTo(samples);
            _frames.AsSpan(0, Count).CopyTo(frames);
            Array.Clear(_frames, 0, Count);
            ArrayPool<FragmentSample>.Shared.Return(_samples);
            ArrayPool<MediaFrame>.Shared.Return(_frames);
            _samples = samples;
            _frames = frames;
        }
    }
}
