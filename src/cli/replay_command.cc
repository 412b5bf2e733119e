// `driftd replay`: the streaming pipeline over a file of events, alerts and
// retrain triggers as JSON Lines on stdout, a summary on stderr. The same
// file and configuration always give the same bytes.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string_view>

#include "cli/commands.h"
#include "cli/options.h"
#include "decode/line_reader.h"
#include "delivery/json_lines_sink.h"
#include "delivery/output_sink.h"
#include "driftd/config.h"
#include "driftd/error.h"
#include "engine/calibration_log.h"
#include "engine/pipeline.h"

namespace driftd {
namespace {

// The pipeline's outputs, as they come, to `outputs`.
class ToOutputs final : public PipelineSink {
 public:
  explicit ToOutputs(OutputSink& outputs) : outputs_(outputs) {}
  void on_invalid(const MessageSource& message, InvalidReason reason) override { outputs_.dead_letter(message, reason); }
  void on_evaluation(const EvaluationReport& report) override { publish(report.output, outputs_); }

 private:
  OutputSink& outputs_;
};

}  // namespace

int replay_command(const std::vector<std::string>& args) {
  namespace po = boost::program_options;
  std::string config_path, input_path;
  po::options_description options("options");
  options.add_options()
      ("config", po::value(&config_path)->required(), "the configuration file")
      ("input", po::value(&input_path)->required(), "events, one JSON object per line (include/driftd/README.md, Events)");
  po::variables_map values;
  if (!parse_options(args,
                     "usage: driftd replay --config FILE --input EVENTS.jsonl\n"
                     "Runs the streaming pipeline over a file: alerts and retrain triggers as JSONL on stdout.",
                     options, values)) {
    return kExitOk;
  }
  const Config config = load_config(config_path);
  // Lines are held up to max_bytes and a CR: a longer line is given cut, one
  // byte over max_bytes however long it was, which the decoder counts as a
  // too_large event without the reader ever holding the whole line.
  LineReader input(input_path, config.input.max_bytes + 1);
  Pipeline pipeline(config);
  // stderr only: stdout holds nothing but the outputs.
  CalibrationLog calibration_log(config, pipeline, std::cerr, "replay: ");

  OutputFanOut outputs;
  outputs.add(std::make_unique<JsonLinesSink>(stdout));
  ToOutputs sink(outputs);
  TextLine line;
  while (input.next(line)) {
    std::string_view event = line.text;
    if (!line.cut && event.ends_with('\r')) event.remove_suffix(1);
    if (event.empty()) continue;
    // A file has no broker timestamp: an event without ts gets time 0.
    const MessageSource message{.payload = event, .topic = input_path, .offset = std::int64_t(line.number)};
    const std::size_t model = pipeline.process(message, 0, sink);
    if (model != Pipeline::kNoModel) calibration_log.after_event(model);
  }
  outputs.flush(std::chrono::milliseconds::zero());

  const PipelineCounters& counters = pipeline.counters();
  std::uint64_t invalid = 0;
  for (const auto count : counters.invalid) invalid += count;
  std::cerr << "replay: " << counters.messages << " events, " << invalid << " invalid";
  for (std::size_t r = 1; r < counters.invalid.size(); ++r) {
    if (counters.invalid[r] > 0) std::cerr << ", " << reason_name(InvalidReason(r)) << " " << counters.invalid[r];
  }
  std::cerr << "; " << counters.evaluations << " evaluations, " << counters.alerts << " alerts, "
            << counters.retrain_triggers << " retrain triggers\n";
  for (std::size_t m = 0; m < pipeline.schemas().size(); ++m) {
    std::cerr << "  model " << pipeline.schemas()[m].id << ": " << counters.consumed[m] << " events";
    if (counters.late[m] > 0) std::cerr << ", " << counters.late[m] << " late";
    if (!pipeline.monitor(m).reference_ready()) std::cerr << " (reference from the stream not complete yet)";
    std::cerr << "\n";
    if (const LabelMonitor* labels = pipeline.monitor(m).labels()) std::cerr << "    " << describe_labels(*labels) << "\n";
  }
  return kExitOk;
}

}  // namespace driftd
