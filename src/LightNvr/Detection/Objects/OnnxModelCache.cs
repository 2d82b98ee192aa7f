namespace LightNvr.Detection.Objects;

/// <summary>
/// One <see cref="OnnxModel"/> per model file for the whole server, counted by the streams using it: the last
/// stream to let go disposes the session, so memory comes back when object detection is switched off.
/// </summary>
public sealed class OnnxModelCache(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (OnnxModel Model, int Users)> _models = new(StringComparer.Ordinal);

    /// <summary>Models with at least one user (loaded or not yet).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _models.Count;
            }
        }
    }

    public OnnxModel Acquire(string path, int threads)
    {
        lock (_lock)
        {
            (OnnxModel Model, int Users) entry = _models.TryGetValue(path, out var e) ? e : (new OnnxModel(path, threads, time), 0);
            _models[path] = (entry.Model, entry.Users + 1);
            return entry.Model;
        }
    }

    public void Release(OnnxModel model)
    {
        lock (_lock)
        {
            if (!_models.TryGetValue(model.Path, out var e) || !ReferenceEquals(e.Model, model))
            {
                return;
            }
            if (e.Users > 1)
            {
                _models[model.Path] = (model, e.Users - 1);
                return;
            }
            _models.Remove(model.Path);
        }
        model.Dispose();
    }
}
