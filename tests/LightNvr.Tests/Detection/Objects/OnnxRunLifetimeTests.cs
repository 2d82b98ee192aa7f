using LightNvr.Detection.Objects;

namespace LightNvr.Tests.Detection.Objects;

/// <summary>
/// Regression (found by bench/detection/objects.sh 16): the run options handed to ONNX Runtime were created inline, so
/// nothing kept them reachable during the native run, and a garbage collection in that time let their finalizer free
/// them under ONNX Runtime — a segfault in libonnxruntime.so that ended the whole server. Here inference runs while
/// another thread collects and finalizes without pause; a regression takes the test host down.
/// </summary>
public sealed class OnnxRunLifetimeTests(OnnxTestGraphs graphs) : IClassFixture<OnnxTestGraphs>
{
    [Fact]
    public void Inference_survives_garbage_collections_during_the_native_run()
    {
        using var model = new OnnxModel(graphs["yolo_v8"], 1, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        var runs = 0;
        var until = Environment.TickCount64 + 3000;
        while (Environment.TickCount64 < until)
        {
            Assert.NotEmpty(model.Detect(OnnxDecoderTests.Frame(128, 64)));
            runs++;
        }
        stop.Cancel();
        collector.Join();
        Assert.True(runs > 10, $"{runs} runs");
    }
}
