using LightNvr.Config;
using LightNvr.Data;
using LightNvr.Recording;
using LightNvr.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Support;

/// <summary>The server's <see cref="RecordingFiles"/> wired as the storage subsystem wires it, for tests that build parts by hand.</summary>
public static class TestRecordingFiles
{
    public static RecordingFiles Create(Database database, StorageOptions storage, TimeProvider time) =>
        new(new RecordingStore(database, time), new RetentionStore(database, time),
            new RecordingFileLocator(new StorageRoot(storage)), NullLogger<RecordingFiles>.Instance);
}
