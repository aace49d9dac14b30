# Sourced by prepare_instance.sh and run_instance.sh: turns the ONNX argument into nnverify arguments.
# A VNN-COMP 2026 multi-network row carries a list of pairs, [('f', 'onnx/a.onnx'), ('g', 'onnx/b.onnx')];
# each pair becomes --network NAME=PATH (a relative path that does not exist from here is taken
# relative to the benchmark folder, the parent of the property's folder). A single path is kept.
# Sets the array `models` (the model files) and `network_args` (what goes before the property).
parse_networks() {
    local field=$1 vnnlib=$2 base pair name path
    base=$(dirname "$(dirname "$vnnlib")")
    models=()
    network_args=()
    if [[ $field == \[* ]]; then
        while read -r pair; do
            [ -n "$pair" ] || continue
            name=$(sed -E "s/^\(['\"]([^'\"]*)['\"].*/\1/" <<<"$pair")
            path=$(sed -E "s/.*,[[:space:]]*['\"]([^'\"]*)['\"][[:space:]]*\)$/\1/" <<<"$pair")
            [[ $path != /* && ! -e $path ]] && path=$base/$path
            models+=("$path")
            network_args+=(--network "$name=$path")
        done < <(grep -oE "\([[:space:]]*['\"][^'\"]*['\"][[:space:]]*,[[:space:]]*['\"][^'\"]*['\"][[:space:]]*\)" <<<"$field")
    else
        models=("$field")
        network_args=("$field")
    fi
}
