# The same sweep with chainsim (threads) and with chainsim-mpi under mpirun
# must write the same bytes: a grid, a Latin hypercube, and a grid whose
# points read trace files (checked on the workers, recorded by rank 0). Run
# with 3 ranks or more, so that two workers share the runs.
# Run with: cmake -DCHAINSIM=<exe> -DCHAINSIM_MPI=<exe> -DMPIEXEC=<mpirun> -DRANKS=<n>
#                 -DWORK=<dir> -DSOURCE=<source dir> -P mpi_sweep_test.cmake
file(REMOVE_RECURSE "${WORK}")
set(grid sweep scenarios/serial_base_stock.yaml --param nodes.store.policy.S=20:40:5
    --param nodes.warehouse.policy.S=30,45 --set horizon=120 --replications 3 --quiet)
set(lhs sweep scenarios/serial_base_stock.yaml --design lhs --samples 12 --param nodes.store.policy.S=15:45
    --param nodes.store.demand.mean=8.0:12.0 --set horizon=120 --replications 2 --quiet)
# The serial chain with its store's demand read from a CSV beside it.
file(READ "${SOURCE}/scenarios/serial_base_stock.yaml" yaml)
string(REPLACE "demand: {type: poisson, mean: 10}" "demand: {type: trace, file: demand.csv}" yaml "${yaml}")
file(WRITE "${WORK}/model/chain.yaml" "${yaml}")
file(WRITE "${WORK}/model/demand.csv" "demand\n8\n12\n10\n9\n11\n")
file(WRITE "${WORK}/model/high.csv" "demand\n18\n22\n20\n")
set(trace sweep "${WORK}/model/chain.yaml" --param nodes.store.demand.file=demand.csv,high.csv
    --param nodes.store.policy.S=20,30 --set horizon=60 --replications 2 --quiet)
foreach(design grid lhs trace)
  execute_process(COMMAND "${CHAINSIM}" ${${design}} --jobs 2 --out "${WORK}/${design}_threads"
                  WORKING_DIRECTORY "${SOURCE}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "chainsim sweep (${design}) failed: ${rc}")
  endif()
  # As root in CI: Open MPI refuses root without --allow-run-as-root, and more
  # ranks than cores without --oversubscribe.
  execute_process(COMMAND "${MPIEXEC}" -n ${RANKS} --allow-run-as-root --oversubscribe
                          "${CHAINSIM_MPI}" ${${design}} --out "${WORK}/${design}_mpi"
                  WORKING_DIRECTORY "${SOURCE}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mpirun chainsim-mpi sweep (${design}) failed: ${rc}")
  endif()
  foreach(f sweep.csv sweep_summary.csv sweep.json sweep_model.json)
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${WORK}/${design}_threads/${f}"
                            "${WORK}/${design}_mpi/${f}" RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
      message(FATAL_ERROR "${design}: ${f} differs between chainsim and chainsim-mpi with ${RANKS} ranks")
    endif()
  endforeach()
  if(design STREQUAL "trace")
    file(READ "${WORK}/trace_mpi/sweep.json" json)
    string(FIND "${json}" "\"file\": \"high.csv\"" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "trace: sweep.json of chainsim-mpi does not record high.csv among its inputs")
    endif()
  endif()
  message(STATUS "${design}: the same bytes with 2 threads and ${RANKS} MPI ranks")
endforeach()
file(REMOVE_RECURSE "${WORK}")
