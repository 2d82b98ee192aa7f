namespace LightNvr.Media.Codecs.H264;

/// <summary>nal_unit_type values, ITU-T H.264 Table 7-1, plus the RTP aggregation/fragmentation types of RFC 6184 §5.2.</summary>
public enum H264NalUnitType : byte
{
    NonIdrSlice = 1,
    SliceDataPartitionA = 2,
    IdrSlice = 5,
    Sei = 6,
    Sps = 7,
    Pps = 8,
    AccessUnitDelimiter = 9,
    EndOfSequence = 10,
    EndOfStream = 11,
    FillerData = 12,
    SpsExtension = 13,
    SubsetSps = 15,

    /// <summary>RFC 6184 §5.7.1 single-time aggregation packet.</summary>
    StapA = 24,
    StapB = 25,
    Mtap16 = 26,
    Mtap24 = 27,

    /// <summary>RFC 6184 §5.8 fragmentation unit.</summary>
    FuA = 28,
    FuB = 29,
}
