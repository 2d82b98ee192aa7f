namespace LightNvr.Data.Migrations;

/// <summary>Every migration this build knows, in order. Append only: a shipped number never changes meaning.</summary>
public static class MigrationCatalog
{
    public static readonly IReadOnlyList<Migration> All =
        [new M0001Tables(), new M0002SeedEraData(), new M0003Indexes(), new M0004CompleteStartIndex(), new M0005RecordingStorage(),
            new M0006TagListColumns(), new M0007DetectionEvents(), new M0008Webhooks(),
            new M0009StreamMotionGate(), new M0010RecorderNodes(), new M0011StorageLocations(),
            new M0012NodeRelay(), new M0013EventNodes(),
            new M0014ListIndexesWithId()];
}
