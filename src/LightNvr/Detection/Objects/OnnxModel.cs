using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LightNvr.Detection.Objects;

/// <summary>
/// One ONNX model file and its session, shared by every stream that names it (<see cref="OnnxModelCache"/>). The
/// session is created on the first <see cref="Detect"/>, not before: a server where no stream detects objects never
/// loads ONNX Runtime's native library or a model (idle memory, docs/detection.md). A model that fails to load throws
/// <see cref="ObjectDetectorException"/> with the reason on every call, retrying the load at most every
/// <see cref="RetryLoadAfter"/>. Runs are serialised (one at a time per model); ONNX Runtime uses
/// <c>threads</c> cores inside each.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    /// <summary>A model that failed to load is tried again after 30 s (the file may be being copied in).</summary>
    public static readonly TimeSpan RetryLoadAfter = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly int _threads;
    private readonly bool _memoryPattern;
    private readonly TimeProvider _time;
    private InferenceSession? _session;
    private bool _disposed;
    private string? _loadError;
    private long _failedAt;
    private byte[] _rgb = [];
    private float[] _floats = [];
    private int[] _ints = [];

    /// <param name="memoryPattern">
    /// ONNX Runtime's memory pattern (pre-planned activation buffers kept between runs). Off in the server: with
    /// CenterNet it held 45 MB more RSS (183 vs 138 MB) for the same CPU per frame (docs/BENCHMARKS.md "Object
    /// detection"); the benchmark turns it on to compare.
    /// </param>
    public OnnxModel(string path, int threads, TimeProvider time, bool memoryPattern = false)
    {
        Path = path;
        _threads = threads;
        _memoryPattern = memoryPattern;
        _time = time;
    }

    public string Path { get; }

    public OnnxModelInfo? Info { get; private set; }

    public bool Loaded => _session is not null;

    public IReadOnlyList<DetectedObject> Detect(RgbFrame frame)
    {
        lock (_lock)
        {
            var session = Load();
            var info = Info!;
            var fit = FrameFit.For(info.Resize, frame.Width, frame.Height, info.InputWidth, info.InputHeight);
            var count = info.InputWidth * info.InputHeight * 3;
            if (_rgb.Length != count)
            {
                _rgb = new byte[count];
            }
            InputTensorWriter.Resize(frame, fit, info.InputWidth, info.InputHeight, _rgb);
            long[] shape = info.Layout == InputLayout.Nchw ? [1, 3, info.InputHeight, info.InputWidth] : [1, info.InputHeight, info.InputWidth, 3];
            using var input = CreateInput(info, shape);
            var outputs = new List<ModelOutput>(info.OutputNames.Count);
            try
            {
                // The run options live (and are disposed) after Run returns: created inline, nothing kept them reachable
                // once their handle was passed to native code, and a GC during the run let the finalizer free them under
                // ONNX Runtime — a segfault in libonnxruntime.so on the object-detection thread (bench/detection/objects.sh 16,
                // at the first stream change under load; docs/BENCHMARKS.md "Object detection").
                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, [info.InputName], [input], info.OutputNames);
                for (var i = 0; i < results.Count; i++)
                {
                    outputs.Add(new ModelOutput(info.OutputNames[i], results[i].GetTensorTypeAndShape().Shape, ToFloats(results[i])));
                }
            }
            catch (OnnxRuntimeException e)
            {
                throw new ObjectDetectorException($"model {System.IO.Path.GetFileName(Path)} failed to run: {e.Message}", e);
            }
            var raw = OutputDecoders.Decode(info.Format, outputs, info.InputWidth, info.InputHeight, info.Labels.Count);
            var found = new List<DetectedObject>(raw.Count);
            foreach (var d in raw)
            {
                if (fit.ToFrame(d) is { } box)
                {
                    var label = d.Class >= 0 && d.Class < info.Labels.Count && info.Labels[d.Class].Length > 0
                        ? info.Labels[d.Class]
                        : $"class {d.Class}";
                    found.Add(new DetectedObject(label, Math.Clamp(d.Score, 0, 1), box));
                }
            }
            return found;
        }
    }

    /// <summary>Opens the model now (for the models list); throws like <see cref="Detect"/> when it cannot.</summary>
    public OnnxModelInfo Describe()
    {
        lock (_lock)
        {
            Load();
            return Info!;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _session?.Dispose();
            _session = null;
        }
    }

    private InferenceSession Load()
    {
        if (_session is not null)
        {
            return _session;
        }
        ObjectDisposedException.ThrowIf(_disposed, this); // a frame still queued for a stream that has stopped
        if (_loadError is not null && _time.GetElapsedTime(_failedAt) < RetryLoadAfter)
        {
            throw new ObjectDetectorException(_loadError);
        }
        InferenceSession? session = null;
        try
        {
            if (!File.Exists(Path))
            {
                throw new ObjectDetectorException($"model file {Path} not found");
            }
            using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
            {
                IntraOpNumThreads = _threads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                EnableMemoryPattern = _memoryPattern, // the arena stays on: without it CPU per frame tripled (page faults)
            };
            // Intra-op threads sleep between runs instead of spinning (ONNX Runtime's default spins): on a box shared
            // with recording, spinning took the second core for nothing. CenterNet, 2 threads, one run: 72.7 → 39.2 ms
            // median, 73 → 48 ms CPU per frame (docs/BENCHMARKS.md "Object detection"); 1 thread has no pool to spin.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            session = new InferenceSession(Path, options);
            Info = OnnxModelInfo.Describe(session, Path);
            (_session, _loadError) = (session, null);
            return session;
        }
        catch (Exception e) when (e is OnnxRuntimeException or ObjectDetectorException or IOException or UnauthorizedAccessException
            or DllNotFoundException or TypeInitializationException)
        {
            session?.Dispose();
            _loadError = e is ObjectDetectorException
                ? $"model {System.IO.Path.GetFileName(Path)}: {e.Message}"
                : $"model {System.IO.Path.GetFileName(Path)} cannot be loaded: {e.Message}";
            _failedAt = _time.GetTimestamp();
            throw new ObjectDetectorException(_loadError, e);
        }
    }

    private OrtValue CreateInput(OnnxModelInfo info, long[] shape)
    {
        var count = _rgb.Length;
        switch (info.InputType)
        {
            case TensorElementType.UInt8:
                if (info.Layout == InputLayout.Nhwc)
                {
                    return OrtValue.CreateTensorValueFromMemory(_rgb, shape);
                }
                var planar = new byte[count];
                var floats = new float[count];
                InputTensorWriter.ToFloat(_rgb, InputLayout.Nchw, info.InputWidth, info.InputHeight, 1f, floats);
                for (var i = 0; i < count; i++)
                {
                    planar[i] = (byte)floats[i];
                }
                return OrtValue.CreateTensorValueFromMemory(planar, shape);
            case TensorElementType.Int32:
                if (_ints.Length != count)
                {
                    _ints = new int[count];
                    _floats = new float[count];
                }
                InputTensorWriter.ToFloat(_rgb, info.Layout, info.InputWidth, info.InputHeight, 1f, _floats);
                for (var i = 0; i < count; i++)
                {
                    _ints[i] = (int)_floats[i];
                }
                return OrtValue.CreateTensorValueFromMemory(_ints, shape);
            default:
                if (_floats.Length != count)
                {
                    _floats = new float[count];
                }
                InputTensorWriter.ToFloat(_rgb, info.Layout, info.InputWidth, info.InputHeight, info.InputScale, _floats);
                return OrtValue.CreateTensorValueFromMemory(_floats, shape);
        }
    }

    private static float[] ToFloats(OrtValue value)
    {
        var type = value.GetTensorTypeAndShape().ElementDataType;
        return type switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Int64 => Array.ConvertAll(value.GetTensorDataAsSpan<long>().ToArray(), v => (float)v),
            TensorElementType.Int32 => Array.ConvertAll(value.GetTensorDataAsSpan<int>().ToArray(), v => (float)v),
            TensorElementType.Double => Array.ConvertAll(value.GetTensorDataAsSpan<double>().ToArray(), v => (float)v),
            _ => throw new ObjectDetectorException($"output of type {type} is not supported"),
        };
    }
}
