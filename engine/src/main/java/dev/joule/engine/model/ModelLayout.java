package dev.joule.engine.model;

/**
 * The file names of a Joule model directory (see {@link ModelDirectory}). A complete
 * speech-recognition model holds all of the required ones; optional ones add features.
 */
public final class ModelLayout {
  /** Acoustic model architecture and sizes (Java properties; {@code arch=...}). Required. */
  public static final String AM_CONFIG = "am.conf";
  /** Acoustic model parameters ({@code .jparams}, see {@code ParameterFile}). Required. */
  public static final String AM_PARAMS = "am.jparams";
  /** Feature settings: Kaldi fbank options, one {@code --name=value} per line. Required. */
  public static final String FBANK_CONFIG = "fbank.conf";
  /** Global CMVN statistics (frontend's Cmvn text format). Optional. */
  public static final String CMVN = "cmvn.stats";
  /** Tokens: OpenFST symbol table, {@code <blk>} first. Required. */
  public static final String TOKENS = "tokens.txt";
  /** Words: OpenFST symbol table of the decoding graph's output labels. Required. */
  public static final String WORDS = "words.txt";
  /** Decoding graph TLG in Joule's compact format. Required. */
  public static final String GRAPH = "TLG.jfst";
  /** Pronunciations of the graph's words, one {@code word PHONE...} line per pronunciation. Optional. */
  public static final String LEXICON = "lexicon.txt";
  /** The word n-gram LM (ARPA) the graph was compiled from, for recompiling and rescoring. Optional. */
  public static final String LM = "lm.arpa";
  /** CTC-CRF denominator graph (OpenFST, CAT conventions), kept for further training. Optional. */
  public static final String DEN_GRAPH = "den.fst";
  /**
   * Sub-directory holding a TRF language model for n-best rescoring, with its tuned rescoring
   * weights: a TRF model directory as {@code dev.joule.engine.trf.TrfFiles} writes it, nested
   * whole (its own manifest included), so this model's manifest checksums every file of it.
   * Optional; rescoring also needs {@link #LM}, the n-gram the weights were tuned with.
   */
  public static final String TRF = "trf";
  /** The nested TRF model's manifest: its presence says the model has a TRF. */
  public static final String TRF_MANIFEST = TRF + "/" + ModelDirectory.MANIFEST;

  private ModelLayout() {}
}
